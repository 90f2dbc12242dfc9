// A Worker with only the payee endpoints, for deploying the group on its own.
import { createApp } from "../src/app";
import { payeesRouter } from "../src/routes/payees";

export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp({ "/api/v1/payees": payeesRouter });
