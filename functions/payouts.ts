// A Worker serving only payouts (with the BalanceLedger that holds their funds).
import { createApp } from "../src/app";
import { payoutsRouter } from "../src/routes/payouts";

export { BalanceLedger } from "../src/ledger/balance-ledger";

export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp({ "/api/v1/payouts": payoutsRouter });
