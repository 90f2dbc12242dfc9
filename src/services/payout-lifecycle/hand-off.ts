import type { Env } from "../../env";
import { logError } from "../../lib/log-error";
import { withConcurrency } from "./limits";

/** One queue message: a payout to submit to its rail. */
export interface SubmissionMessage {
  businessId: string;
  payoutId: string;
}

/** Cloudflare Queues take at most 100 messages per sendBatch. */
export const sendBatchLimit = 100;

/**
 * Hands committed payouts to the submission queue: pieces of 100 messages, at most `connections`
 * sends in flight. Returns the number of sends (subrequests) it made. A send that fails is not
 * retried here: the payouts stay PENDING and unsubmitted, and the cron hands them over again.
 */
export async function handOff(env: Pick<Env, "PAYOUT_SUBMISSIONS">, items: SubmissionMessage[], connections = 6): Promise<number> {
  const pieces: SubmissionMessage[][] = [];
  for (let i = 0; i < items.length; i += sendBatchLimit) pieces.push(items.slice(i, i + sendBatchLimit));
  await withConcurrency(pieces, connections, async (piece) => {
    await env.PAYOUT_SUBMISSIONS.sendBatch(piece.map((body) => ({ body, contentType: "json" as const })));
  });
  return pieces.length;
}

/**
 * For a request handler after its commit: the payouts go to the queue, and a failed send is logged,
 * not thrown, because the payouts are already written (and answered for); the cron recovers them.
 */
export async function handOffAfterCommit(env: Pick<Env, "PAYOUT_SUBMISSIONS">, items: SubmissionMessage[], connections = 6): Promise<void> {
  if (!items.length) return;
  try {
    await handOff(env, items, connections);
  } catch (err) {
    logError(`hand-off of ${items.length} payouts failed; the cron will hand them over again`, err);
  }
}
