import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../functions/api";
import { recoverLostHandOffs } from "../../src/services/payout-lifecycle/cron";
import { seedBusiness } from "../harness";
import { eventually, history, payoutRow, seedPayout, workerEnv } from "./helpers";

// The submission queue is shared with every lifecycle file running beside this one (the 1,000-payout
// batches among them), so a re-handed payout may wait its turn behind thousands of messages.
const queueWaitMs = 120_000;

describe("the cron re-hands lost hand-offs", { timeout: 180_000 }, () => {
  it("a payout committed but never handed to the queue reaches the rail and completes", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    // Written 2 minutes ago, and the Worker died before the queue send.
    const lost = await seedPayout({ businessId: s.business.id, ageSeconds: 120 });
    // Within the grace period: maybe still on its way, so left alone.
    const fresh = await seedPayout({ businessId: s.business.id });
    expect(await recoverLostHandOffs(workerEnv, { businessId: s.business.id })).toBe(1);
    await eventually(
      () => payoutRow(lost),
      (r) => r.status === "INITIATION_COMPLETED" && r.submitted_at !== null,
      queueWaitMs,
    );
    expect(await history(lost)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING", "INITIATION_COMPLETED"]);
    expect((await payoutRow(fresh)).status).toBe("INITIATION_PENDING");
  });

  it("a payout it re-handed is not re-handed again within the grace period", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    await seedPayout({ businessId: s.business.id, ageSeconds: 120, creditorName: "Sandbox Timeout" });
    const runs = await Promise.all([1, 2, 3].map(() => recoverLostHandOffs(workerEnv, { businessId: s.business.id })));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await recoverLostHandOffs(workerEnv, { businessId: s.business.id })).toBe(0);
  });

  it("payouts already submitted or already final are not re-handed", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    await seedPayout({ businessId: s.business.id, ageSeconds: 120, status: "INITIATION_REJECTED" });
    await seedPayout({ businessId: s.business.id, ageSeconds: 120, status: "INITIATION_PROCESSING" });
    expect(await recoverLostHandOffs(workerEnv, { businessId: s.business.id })).toBe(0);
  });

  it("runs as the Worker's scheduled() handler", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const lost = await seedPayout({ businessId: s.business.id, ageSeconds: 3 * 86_400 });
    // A grace of 2 days keeps this unscoped run away from other tests' payouts.
    const env = { ...workerEnv, HANDOFF_GRACE_SECONDS: String(2 * 86_400) };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    // submitted_at is written after the whole delivery's submissions (another test's Sandbox Timeout may share it).
    await eventually(
      () => payoutRow(lost),
      (r) => r.status === "INITIATION_COMPLETED" && r.submitted_at !== null,
      queueWaitMs,
    );
  });
});
