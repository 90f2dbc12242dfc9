// What testing each path looks like in the test pool (@cloudflare/vitest-pool-workers 0.23), on the
// prototype: the rail leaves the first 2 attempts unanswered, and the payout must still end final
// with the rail called 3 times. Run: npx vitest run --config test/bench/queue-vs-workflows/vitest.config.ts
import { createExecutionContext, createMessageBatch, env, getQueueResult, introspectWorkflowInstance } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker, { type Env, type Submission } from "./worker";

const e = env as unknown as Env;
const storeOf = (run: string) => e.STORE.get(e.STORE.idFromName(run));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the test pool, each path through two rail timeouts", () => {
  it("B: introspectWorkflowInstance skips the retry delays and mocks the rail's event; the instance runs on its own", async () => {
    const s: Submission = { run: "pool-b", payoutId: "pool-b-0", path: "b", failFirst: 2 };
    await storeOf(s.run).register([s.payoutId], Date.now());
    await using instance = await introspectWorkflowInstance(e.PAYOUT_WORKFLOW, s.payoutId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockEvent({ type: "rail-final", payload: { status: "settled" } });
    });
    const started = Date.now();
    await e.PAYOUT_WORKFLOW.create({ id: s.payoutId, params: s });
    await instance.waitForStatus("complete");
    const summary = await storeOf(s.run).summary();
    console.log(`B in the test pool: complete after ${Date.now() - started} ms, rail called ${summary.railAttempts} times`);
    expect(summary).toMatchObject({ railAttempts: 3, railHangs: 2, final: 1 });
  });

  it("A: each delivery is a step of the test (createMessageBatch + getQueueResult); the retry delays are asserted, not waited", async () => {
    const s: Submission = { run: "pool-a", payoutId: "pool-a-0", path: "a", failFirst: 2 };
    await storeOf(s.run).register([s.payoutId], Date.now());
    const started = Date.now();
    const outcomes: unknown[] = [];
    for (const attempts of [1, 2, 3]) {
      const batch = createMessageBatch<Submission>("qvw-submissions", [{ id: `m-${attempts}`, timestamp: new Date(), attempts, body: s }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, e);
      const result = await getQueueResult(batch, ctx);
      outcomes.push({ retry: result.retryMessages, acks: result.explicitAcks });
    }
    console.log(`A in the test pool: getQueueResult per delivery ${JSON.stringify(outcomes)}`);
    expect(outcomes).toEqual([
      { retry: [{ msgId: "m-1" }], acks: [] },
      { retry: [{ msgId: "m-2" }], acks: [] },
      { retry: [], acks: ["m-3"] },
    ]);
    // The rail's callback (an alarm 300 ms later) marks it final.
    const summary = await eventually(
      () => storeOf(s.run).summary(),
      (v) => v.final === 1,
    );
    console.log(`A in the test pool: final after ${Date.now() - started} ms, rail called ${summary.railAttempts} times`);
    expect(summary).toMatchObject({ railAttempts: 3, railHangs: 2, final: 1 });
  });
});
