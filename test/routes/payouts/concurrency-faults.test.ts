// A group commit with payouts that fails: before writing (503, retried) or after (answer lost, recovered).
import { describe, expect, it } from "vitest";
import { injectFault, seedBusiness } from "../../harness";
import { dollar, manyAtOnce, pay } from "./concurrency-helpers";
import { books, sepaInitiation, uniqueRefId } from "./helpers";

describe("payout group commits that fail", () => {
  it("a group commit that fails before writing answers 503 and writes nothing; the retry pays once", async () => {
    const s = await seedBusiness({ balance: 100_000n, rateLimit: manyAtOnce });
    await injectFault({ count: 1, tag: `ledger:${s.business.id}`, match: "INSERT INTO payouts", phase: "before" });
    const initiations = Array.from({ length: 20 }, () => sepaInitiation({ amount: dollar }));
    let answers = await Promise.all(initiations.map((i) => pay(s, i)));
    expect(answers.some((a) => a.status === 503 && a.body.error?.code === "service_unavailable")).toBe(true);
    for (let round = 0; round < 5 && answers.some((a) => a.status === 503); round++) {
      answers = await Promise.all(initiations.map((init, i) => (answers[i]!.status === 503 ? pay(s, init) : answers[i]!)));
    }
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: 100_000 - b.held, payouts: 20 });
    expect(b.held + b.reversed).toBe(2_000);
  }, 180_000);

  it("answers success, not 'retry', when the write committed but its answer was lost", async () => {
    const s = await seedBusiness({ balance: 100_000n, rateLimit: manyAtOnce });
    await injectFault({ count: 1, tag: `ledger:${s.business.id}`, match: "INSERT INTO payouts", phase: "after" });
    const initiations = Array.from({ length: 20 }, () => sepaInitiation({ refId: uniqueRefId("l"), amount: dollar }));
    const answers = await Promise.all(initiations.map((i) => pay(s, i)));
    expect(answers.map((a) => a.status)).toEqual(initiations.map(() => 200));
    for (const [i, a] of answers.entries()) expect(a.body.payout!.initiation.refId).toBe(initiations[i]!.refId);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: 100_000 - b.held, payouts: 20 });
    expect(b.held + b.reversed).toBe(2_000);
  }, 180_000);
});
