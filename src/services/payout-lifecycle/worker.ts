import type { Env } from "../../env";
import { logError } from "../../lib/log-error";
import { recoverLostHandOffs } from "./cron";
import type { SubmissionMessage } from "./hand-off";
import { submitBatch } from "./submit";

/** The Worker handlers of the payout lifecycle, beside `fetch`: the submission queue and the cron. */
export const lifecycleHandlers = {
  async queue(batch: MessageBatch<SubmissionMessage>, env: Env): Promise<void> {
    await submitBatch(batch, env);
  },
  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(
      recoverLostHandOffs(env).catch((err) => {
        // Logged and rethrown: the next run (a minute later) tries again.
        logError("cron: recovering lost hand-offs failed", err);
        throw err;
      }),
    );
  },
};
