// The single Worker: every endpoint group, and the Durable Object classes they use.
import { createApp } from "../src/app";
import { withLocalRoutes } from "../src/local/local-routes";
import { localRestartPath, restartObject } from "../src/local/restart-trigger";
import { localCronPath, runScheduled } from "../src/local/scheduled-trigger";
import { allRouters } from "../src/routes";
import { lifecycleHandlers } from "../src/services/payout-lifecycle/worker";

export { BalanceLedger } from "../src/ledger/balance-ledger";
export { SandboxRail } from "../src/rails/sandbox/server";
export { RateLimiter } from "../src/ratelimit/rate-limiter";

const app = createApp(allRouters);

// The payout lifecycle's queue consumer and cron run in this Worker too.
// Locally only: /__local/scheduled fires the cron, /__local/restart resets a Durable Object.
export default withLocalRoutes(
  { fetch: app.fetch, ...lifecycleHandlers },
  { [localCronPath]: runScheduled, [localRestartPath]: restartObject },
);
