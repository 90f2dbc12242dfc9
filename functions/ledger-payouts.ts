// A Worker with only the ledger-payouts endpoints, for deploying the group on its own.
import { createApp } from "../src/app";
import { ledgerPayoutsRouter } from "../src/routes/ledger-payouts";

export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp({ "/v1/businesses": ledgerPayoutsRouter });
