// A Worker with only the payout request endpoints, for deploying the group on its own.
import { createApp } from "../src/app";
import { payoutRequestsRouter } from "../src/routes/payout-requests";

export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp({ "/api/v1/payout-requests": payoutRequestsRouter });
