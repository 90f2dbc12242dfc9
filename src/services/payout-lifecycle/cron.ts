import { createDb } from "../../db/client";
import { config, type Env } from "../../env";
import { lifecycleConfig } from "./config";
import { handOff, sendBatchLimit } from "./hand-off";
import { logInvocation } from "./limits";
import { claimLostHandOffs } from "./queries";

/**
 * The cron trigger: payouts whose hand-off was lost (the Worker stopped between the commit and the
 * queue send) are found and handed over again, so none stays in INITIATION_PENDING. One claim
 * statement plus one send per 100, within the invocation's subrequest budget. `only` scopes a run to
 * one business (an operator re-handing one business's payouts; the tests).
 */
export async function recoverLostHandOffs(env: Env, only?: { businessId: string }): Promise<number> {
  const cfg = lifecycleConfig(env);
  const db = createDb(config(env), "cron:handoff");
  const limit = Math.max(1, cfg.RAIL_MAX_SUBREQUESTS - 1) * sendBatchLimit;
  const lost = await claimLostHandOffs(db, cfg.HANDOFF_GRACE_SECONDS, Math.min(limit, 5_000), only?.businessId);
  const sends = lost.length ? await handOff(env, lost, cfg.RAIL_MAX_CONNECTIONS) : 0;
  logInvocation({
    kind: "cron",
    messages: lost.length,
    subrequests: 1 + sends,
    maxInFlight: Math.min(sends, cfg.RAIL_MAX_CONNECTIONS) || 1,
  });
  if (lost.length) console.log(`cron: handed ${lost.length} payouts to the submission queue again`);
  return lost.length;
}
