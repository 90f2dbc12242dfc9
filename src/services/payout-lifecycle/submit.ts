import { createDb } from "../../db/client";
import { config, type Env } from "../../env";
import { logError } from "../../lib/log-error";
import { payoutRail } from "../../rails";
import { backoffSeconds, type LifecycleConfig, lifecycleConfig } from "./config";
import type { SubmissionMessage } from "./hand-off";
import { settleThroughLedger } from "./ledger";
import { logInvocation, SubrequestBudget, withConcurrency } from "./limits";
import { loadForSubmission, markSubmitted } from "./queries";

/**
 * The submission queue's consumer: one invocation submits a delivery's payouts to their rail.
 *
 * Each message costs one subrequest (its submission; two when its last unanswered attempt gives the
 * hold back) plus two for the whole delivery (read the payouts, record the submitted ones), counted
 * against RAIL_MAX_SUBREQUESTS; a message that would go over is retried at once into another
 * invocation. At most RAIL_MAX_CONNECTIONS are in flight. The rail gets our payout id as its
 * idempotency key, so a redelivered message (or one the cron re-handed) never pays twice.
 */
export async function submitBatch(
  batch: MessageBatch<SubmissionMessage>,
  env: Env,
  override: Partial<LifecycleConfig> = {},
): Promise<void> {
  const started = Date.now();
  const cfg = { ...lifecycleConfig(env), ...override };
  const db = createDb(config(env), `queue:${batch.queue}`);
  const budget = new SubrequestBudget(cfg.RAIL_MAX_SUBREQUESTS);
  budget.take(2);
  let inFlight = 0;
  let maxInFlight = 0;
  let made = 0;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    made++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };

  const messages = batch.messages;
  let payouts;
  try {
    payouts = await track(() => loadForSubmission(db, [...new Set(messages.map((m) => m.body.payoutId))]));
  } catch (err) {
    logError("submission: could not load the payouts", err);
    batch.retryAll({ delaySeconds: backoffSeconds(cfg, 1) });
    return;
  }

  const accepted: Message<SubmissionMessage>[] = [];
  await withConcurrency(messages, cfg.RAIL_MAX_CONNECTIONS, async (msg) => {
    const payout = payouts.get(msg.body.payoutId);
    // Gone, already taken by the rail, or already moved by a rail event: nothing to submit.
    if (!payout || payout.submitted || payout.status !== "INITIATION_PENDING") return msg.ack();
    const rail = payoutRail(payout.rail, env);
    if (!budget.take()) return msg.retry({ delaySeconds: 0 });

    const giveUp = async (reason: string) => {
      try {
        await track(() =>
          settleThroughLedger(env, payout.businessId, {
            rail: payout.rail,
            webhookId: `disburse:submission-failed:${payout.id}`,
            payoutId: payout.id,
            railStatus: "submission_failed",
            status: "INITIATION_FAILED",
            reason,
          }),
        );
        msg.ack();
      } catch (err) {
        logError(`submission: could not fail payout ${payout.id}`, err);
        msg.retry({ delaySeconds: backoffSeconds(cfg, 1) });
      }
    };
    if (!rail) return giveUp(`No payout rail is named "${payout.rail}".`);

    const result = await track(() =>
      rail.submit(
        {
          payoutId: payout.id,
          businessId: payout.businessId,
          refId: payout.refId,
          amount: payout.amount,
          currency: payout.currency,
          localInstrument: payout.localInstrument,
          creditor: payout.creditor,
          remittanceInformationPrimary: payout.remittance,
        },
        AbortSignal.timeout(cfg.RAIL_SUBMIT_TIMEOUT_MS),
      ),
    );
    // Only unanswered submissions count towards giving up: a delivery the rail answered "accepted" but
    // whose submitted_at could not be written is retried, and the rail, asked again, still says
    // accepted (the payment is the rail's now; failing it would give back money the rail pays out).
    if (result.kind === "accepted") accepted.push(msg);
    else if (result.kind === "unavailable" && msg.attempts >= cfg.RAIL_MAX_ATTEMPTS) {
      if (budget.take()) await giveUp(`The ${rail.name} rail did not take the payout after ${cfg.RAIL_MAX_ATTEMPTS} attempts (504).`);
      else msg.retry({ delaySeconds: 0 });
    } else if (result.kind === "unavailable") msg.retry({ delaySeconds: backoffSeconds(cfg, msg.attempts) });
    // A permanent refusal fails the payout now if the budget allows, else in the next delivery
    // (where the rail answers the same again under the same idempotency key).
    else if (budget.take()) await giveUp(result.reason);
    else msg.retry({ delaySeconds: 0 });
  });

  if (accepted.length) {
    try {
      await track(() =>
        markSubmitted(
          db,
          accepted.map((m) => m.body.payoutId),
        ),
      );
      for (const m of accepted) m.ack();
    } catch (err) {
      // The rail has them; a redelivery replays the rail's answer under the same key and records it.
      logError("submission: could not record the submitted payouts", err);
      for (const m of accepted) m.retry({ delaySeconds: backoffSeconds(cfg, m.attempts) });
    }
  }
  logInvocation({ kind: "submit", messages: messages.length, subrequests: made, maxInFlight, ms: Date.now() - started, at: started });
}
