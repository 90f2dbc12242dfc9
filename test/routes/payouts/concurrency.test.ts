// Payouts share the BalanceLedger's queue and group commit with allocations: under any interleaving
// nothing is overdrawn, the books balance, and exactly the accepted payouts exist.
import { describe, expect, it } from "vitest";
import { seedBusiness } from "../../harness";
import { type Answer, dollar, manyAtOnce, pay, payoutIds, topUp } from "./concurrency-helpers";
import { books, sepaInitiation } from "./helpers";

describe("payouts under concurrency", () => {
  it("500 concurrent payouts mixed with 100 allocations against a balance covering exactly N: no overdraw, the books balance", async () => {
    const n = 211;
    const s = await seedBusiness({ balance: BigInt(n * 100), rateLimit: manyAtOnce });
    const work: Promise<[string, Answer]>[] = [];
    for (let i = 0; i < 600; i++) {
      work.push(
        i % 6 === 5
          ? topUp(s, `u${i % 13}@example.com`, 100).then((a) => ["allocation", a])
          : pay(s, sepaInitiation({ refId: `c${i}`, amount: dollar })).then((a) => ["payout", a]),
      );
    }
    const answers = await Promise.all(work);
    const ok = answers.filter(([, a]) => a.status === 200 || a.status === 201);
    const refused = answers.filter(([, a]) => a.status === 400 && a.body.error?.code === "insufficient_balance");
    expect(ok.length).toBe(n);
    expect(refused.length).toBe(600 - n);
    const paid = ok.filter(([kind]) => kind === "payout").map(([, a]) => a.body.payout!.id);
    const allocated = ok.length - paid.length;
    expect(paid.length).toBeGreaterThan(0);
    expect(allocated).toBeGreaterThan(0);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: b.reversed, users: allocated * 100, payouts: paid.length });
    expect(b.held + b.reversed).toBe(paid.length * 100);
    expect(b.balance + b.users + b.held).toBe(n * 100);
    expect(await payoutIds(s.business.id)).toEqual(paid.sort());
  }, 480_000);
});
