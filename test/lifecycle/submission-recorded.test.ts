// A payout fails for want of a submission only after deliveries the rail did not answer: deliveries
// that the rail answered "accepted" but whose `submitted_at` could not be written (the database
// failing) must not count, or a payment the rail holds has its money given back. Found while
// building the bank check (`npm run bench -- bank`), which now looks for such payouts.
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SubmissionMessage } from "../../src/services/payout-lifecycle/hand-off";
import { submitBatch } from "../../src/services/payout-lifecycle/submit";
import { injectFault, seedBusiness } from "../harness";
import { businessBalance, history, payoutRow, seedPayout, workerEnv } from "./helpers";

async function railSubmissions(payoutId: string): Promise<number | undefined> {
  const stub = workerEnv.SANDBOX_RAIL!.get(workerEnv.SANDBOX_RAIL!.idFromName(payoutId));
  const res = await stub.fetch(`http://sandbox-rail.internal/v1/payments/${payoutId}`);
  return res.status === 404 ? undefined : ((await res.json()) as { submissions: number }).submissions;
}

/**
 * One delivery of one message, through a queue name of its own (the consumer's SQL is tagged with it).
 * The rail's timeout is the default (5 s) unless a test needs the rail to time out: a short one made a
 * slow first call to a busy machine's sandbox rail look unanswered, and a retry that never reached it.
 */
async function deliver(queue: string, businessId: string, payoutId: string, attempts: number, timeoutMs?: number) {
  const batch = createMessageBatch<SubmissionMessage>(queue, [
    { id: `m-${attempts}`, timestamp: new Date(), attempts, body: { businessId, payoutId } },
  ]);
  const ctx = createExecutionContext();
  await submitBatch(batch, workerEnv, { RAIL_MAX_ATTEMPTS: 3, ...(timeoutMs ? { RAIL_SUBMIT_TIMEOUT_MS: timeoutMs } : {}) });
  const result = await getQueueResult(batch, ctx);
  await waitOnExecutionContext(ctx);
  return result;
}

describe("a submission the rail took but Disburse could not record", () => {
  it("is not failed and given back after RAIL_MAX_ATTEMPTS such deliveries: the rail is asked again", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    // "Sandbox Hold": the rail takes it and never sends an event, so only the submission can move it.
    const id = await seedPayout({ businessId: s.business.id, amount: 2_000, creditorName: "Sandbox Hold" });
    const queue = `submissions-${id}`;
    for (let attempts = 1; attempts <= 3; attempts++) {
      await injectFault({ count: 1, tag: `queue:${queue}`, match: "SET submitted_at = now\\(\\)", phase: "before" });
      const result = await deliver(queue, s.business.id, id, attempts);
      expect(result.explicitAcks).toEqual([]); // retried: the rail has it, the record failed
    }
    expect(await railSubmissions(id)).toBe(3);

    const last = await deliver(queue, s.business.id, id, 4);
    expect(last.explicitAcks).toEqual(["m-4"]);
    const p = await payoutRow(id);
    expect(p.status).toBe("INITIATION_PENDING");
    expect(p.submitted_at).not.toBeNull();
    expect(await history(id)).toEqual(["INITIATION_PENDING"]);
    expect(await businessBalance(s.business.id)).toBe(8_000); // still held: the rail holds the payment
  });

  it("still fails one the rail never answered, after the last attempt, and gives its money back once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 2_000, creditorName: "Sandbox Timeout" });
    const result = await deliver(`submissions-${id}`, s.business.id, id, 3, 300);
    expect(result.explicitAcks).toEqual(["m-3"]);
    expect((await payoutRow(id)).status).toBe("INITIATION_FAILED");
    expect(await businessBalance(s.business.id)).toBe(10_000);
  });
});
