// The sandbox payout rail as its own Worker, standing in for a rail run by someone else:
// `wrangler deploy -c functions/sandbox-rail.toml` (or `wrangler dev -c ...`), then point Disburse
// at it with SANDBOX_RAIL_URL; it calls back SANDBOX_RAIL_WEBHOOK_URL with signed events.
import { type SandboxRailEnv, sandboxRailFetch } from "../src/rails/sandbox/server";

export { SandboxRail } from "../src/rails/sandbox/server";

export default {
  fetch: (request: Request, env: SandboxRailEnv) => sandboxRailFetch(request, env),
};
