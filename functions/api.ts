// The single Worker: every endpoint group, and the Durable Object classes they use.
import { createApp } from "../src/app";
import { allRouters } from "../src/routes";

export { BalanceLedger } from "../src/ledger/balance-ledger";
export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp(allRouters);
