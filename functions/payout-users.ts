// A Worker serving only payout users and the business balance (with the BalanceLedger they need).
import { createApp } from "../src/app";
import { balanceRouter } from "../src/routes/balance";
import { payoutUserRouter } from "../src/routes/payout-user";
import { payoutUsersRouter } from "../src/routes/payout-users";

export { BalanceLedger } from "../src/ledger/balance-ledger";
export { RateLimiter } from "../src/ratelimit/rate-limiter";

export default createApp({
  "/api/v1/payout-users": payoutUsersRouter,
  "/api/v1/payout-user": payoutUserRouter,
  "/api/v1/balance": balanceRouter,
});
