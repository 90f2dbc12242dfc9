import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sandboxRail } from "../../src/rails/sandbox/rail";
import { backoffSeconds, lifecycleConfig } from "../../src/services/payout-lifecycle/config";
import type { SubmissionMessage } from "../../src/services/payout-lifecycle/hand-off";
import { submitBatch } from "../../src/services/payout-lifecycle/submit";
import { seedBusiness } from "../harness";
import { businessBalance, eventsFor, eventually, history, payoutRow, seedPayout, workerEnv } from "./helpers";

/** What the sandbox rail knows about one payment (its own record, read over its HTTP API). */
async function railRecord(payoutId: string) {
  const stub = workerEnv.SANDBOX_RAIL!.get(workerEnv.SANDBOX_RAIL!.idFromName(payoutId));
  const res = await stub.fetch(`http://sandbox-rail.internal/v1/payments/${payoutId}`);
  if (res.status === 404) return undefined;
  return (await res.json()) as { submissions: number; delivered: { webhookId: string; status: string; httpStatus: number }[] };
}

async function handOver(businessId: string, payoutId: string) {
  await workerEnv.PAYOUT_SUBMISSIONS.send({ businessId, payoutId });
}

const finalStatus = (id: string) =>
  eventually(
    () => payoutRow(id),
    (p) => /COMPLETED|REJECTED|FAILED/.test(p.status),
  );

describe("the sandbox rail through the submission queue", () => {
  it("any other creditor name completes: PENDING → PROCESSING → COMPLETED, submitted once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 1_200 });
    await handOver(s.business.id, id);
    expect((await finalStatus(id)).status).toBe("INITIATION_COMPLETED");
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING", "INITIATION_COMPLETED"]);
    await eventually(
      () => payoutRow(id),
      (r) => r.submitted_at !== null,
    );
    expect((await railRecord(id))!.submissions).toBe(1);
    expect(await businessBalance(s.business.id)).toBe(8_800);
  });

  it("Sandbox Reject: rejected, the hold given back", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 1_200, creditorName: "Sandbox Reject" });
    await handOver(s.business.id, id);
    const p = await finalStatus(id);
    expect(p.status).toBe("INITIATION_REJECTED");
    expect(p.status_reason_information).toMatch(/Sandbox Reject/);
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_REJECTED"]);
    expect(await businessBalance(s.business.id)).toBe(10_000);
  });

  it("Sandbox Fail: fails after processing, the hold given back", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 1_200, creditorName: "Sandbox Fail" });
    await handOver(s.business.id, id);
    expect((await finalStatus(id)).status).toBe("INITIATION_FAILED");
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING", "INITIATION_FAILED"]);
    expect(await businessBalance(s.business.id)).toBe(10_000);
  });

  it("Sandbox Duplicate: every event is delivered twice, applied once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, creditorName: "Sandbox Duplicate" });
    await handOver(s.business.id, id);
    expect((await finalStatus(id)).status).toBe("INITIATION_COMPLETED");
    const rail = await eventually(
      () => railRecord(id),
      (r) => (r?.delivered.length ?? 0) >= 4,
    );
    expect(rail!.delivered.map((d) => [d.status, d.httpStatus])).toEqual([
      ["processing", 200],
      ["processing", 200],
      ["settled", 200],
      ["settled", 200],
    ]);
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING", "INITIATION_COMPLETED"]);
    expect(await eventsFor(id)).toBe(2);
  });

  it("Sandbox Reorder: the final event arrives before PROCESSING, which is recorded and ignored", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, creditorName: "Sandbox Reorder" });
    await handOver(s.business.id, id);
    expect((await finalStatus(id)).status).toBe("INITIATION_COMPLETED");
    await eventually(
      () => eventsFor(id),
      (n) => n === 2,
    );
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_COMPLETED"]);
    expect((await payoutRow(id)).status).toBe("INITIATION_COMPLETED");
  });

  it("the rail takes our payout id as its idempotency key: a second submission is the same payment", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    const rail = sandboxRail(workerEnv);
    const submission = {
      payoutId: id,
      businessId: s.business.id,
      refId: "r",
      amount: 1000,
      currency: "EUR",
      localInstrument: "SEPA",
      creditor: { name: "Ada" },
    };
    const first = await rail.submit(submission, AbortSignal.timeout(5_000));
    const second = await rail.submit(submission, AbortSignal.timeout(5_000));
    expect(first.kind).toBe("accepted");
    expect(second).toEqual(first);
    expect((await finalStatus(id)).status).toBe("INITIATION_COMPLETED");
    const record = await railRecord(id);
    expect(record!.submissions).toBe(2);
    // One payment: its events were sent once.
    expect(record!.delivered).toHaveLength(2);
  });
});

describe("submission retries (Sandbox Timeout: the rail never answers)", () => {
  // Long enough for a busy machine's first call to reach the rail (a 300 ms timeout once ended a
  // call before the rail saw it), short enough to keep the tests quick.
  const RAIL_SUBMIT_TIMEOUT_MS = 1_000;
  const message = (businessId: string, payoutId: string, attempts: number) =>
    ({ id: `m-${payoutId}-${attempts}`, timestamp: new Date(), attempts, body: { businessId, payoutId } }) as Parameters<
      typeof createMessageBatch<SubmissionMessage>
    >[1][number];

  it("a submission the rail does not answer in time is retried with backoff, never acknowledged", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, creditorName: "Sandbox Timeout" });
    const batch = createMessageBatch<SubmissionMessage>("disburse-payout-submissions", [message(s.business.id, id, 3)]);
    const ctx = createExecutionContext();
    await submitBatch(batch, workerEnv, { RAIL_SUBMIT_TIMEOUT_MS, RAIL_RETRY_BASE_SECONDS: 2 });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([`m-${id}-3`]);
    expect((await payoutRow(id)).status).toBe("INITIATION_PENDING");
    expect((await railRecord(id))!.submissions).toBe(1);
    await waitOnExecutionContext(ctx);
  });

  it("retries back off exponentially from RAIL_RETRY_BASE_SECONDS, at most 5 minutes", () => {
    const cfg = { ...lifecycleConfig(workerEnv), RAIL_RETRY_BASE_SECONDS: 2 };
    expect([1, 2, 3, 4, 12].map((attempts) => backoffSeconds(cfg, attempts))).toEqual([2, 4, 8, 16, 300]);
  });

  it("after the last attempt the payout fails (504) and its hold is given back, once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 2_000, creditorName: "Sandbox Timeout" });
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch<SubmissionMessage>("disburse-payout-submissions", [message(s.business.id, id, 9)]);
      const ctx = createExecutionContext();
      await submitBatch(batch, workerEnv, { RAIL_MAX_ATTEMPTS: 8, RAIL_SUBMIT_TIMEOUT_MS });
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([`m-${id}-9`]);
    }
    const p = await payoutRow(id);
    expect(p.status).toBe("INITIATION_FAILED");
    expect(p.status_reason_information).toMatch(/504/);
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_FAILED"]);
    expect(await businessBalance(s.business.id)).toBe(10_000);
    // The last attempt asks the rail once more (only a submission it does not answer counts); the
    // second delivery finds the payout failed and asks nothing.
    expect((await railRecord(id))!.submissions).toBe(1);
  });

  it("a payout already taken by the rail, or already moved, is acknowledged without another submission", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const moved = await seedPayout({ businessId: s.business.id, status: "INITIATION_PROCESSING" });
    const batch = createMessageBatch<SubmissionMessage>("disburse-payout-submissions", [
      message(s.business.id, moved, 1),
      message(s.business.id, "pay_does_not_exist", 1),
    ]);
    const ctx = createExecutionContext();
    await submitBatch(batch, workerEnv);
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual([`m-${moved}-1`, "m-pay_does_not_exist-1"].sort());
    expect(await railRecord(moved)).toBeUndefined();
  });
});
