import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/http/errors";
import { splitByWeight, writeInChunks } from "../../src/services/ledger-payouts/chunks";
import { planJournal } from "../../src/services/ledger-payouts/journal";

describe("splitByWeight", () => {
  it("keeps order, covers every item once, and stays under the limit unless an item alone exceeds it", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 200 }), fc.integer({ min: 1, max: 100 }), (weights, limit) => {
        const items = weights.map((weight, i) => ({ weight, i }));
        const chunks = splitByWeight(items, limit);
        expect(chunks.flatMap((c) => c.items.map((x) => x.i))).toEqual(items.map((x) => x.i));
        for (const c of chunks) {
          expect(c.items[0]!.i).toBe(c.start);
          const total = c.items.reduce((a, x) => a + x.weight, 0);
          if (c.items.length > 1) expect(total).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });
});

describe("writeInChunks", () => {
  it("runs at most `concurrency` chunks at once and answers in chunk order", async () => {
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 30 }, (_, i) => ({ weight: 1, i }));
    const results = await writeInChunks(
      items,
      async (chunk) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
        inFlight--;
        return chunk.map((x) => x.i);
      },
      { chunkRows: 2, concurrency: 6 },
    );
    expect(peak).toBe(6);
    expect(results.flat()).toEqual(items.map((x) => x.i));
  });

  it("never makes more than maxChunks chunks: the chunk grows instead", async () => {
    const items = Array.from({ length: 100 }, () => ({ weight: 1 }));
    let calls = 0;
    await writeInChunks(
      items,
      async (c) => {
        calls++;
        return c;
      },
      { chunkRows: 1, maxChunks: 10 },
    );
    expect(calls).toBe(10);
  });

  it("a failed chunk is a 503 naming the applied and failed payouts", async () => {
    const items = Array.from({ length: 6 }, () => ({ weight: 1 }));
    const err = await writeInChunks(items, async (c, n) => (n === 1 ? Promise.reject(new Error("boom")) : c), { chunkRows: 2 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.fields).toEqual({ "chunks.applied": ["payouts 0-1", "payouts 4-5"], "chunks.failed": ["payouts 2-3"] });
  });
});

describe("planJournal", () => {
  it("positive amounts debit, negative credit, zero lines dropped; imbalance is the signed sum", () => {
    const planned = planJournal([
      { accountId: "a", debit: 970n, description: "deposit" },
      { accountId: "b", debit: 30n, description: "fee" },
      { accountId: "c", debit: 0n, description: "nothing" },
      { accountId: "d", debit: -1000n, description: "payment" },
    ]);
    expect(planned.imbalance).toBe(0n);
    expect(planned.lines.map((l) => [l.account_id, l.direction, l.amount])).toEqual([
      ["a", "DEBIT", 970n],
      ["b", "DEBIT", 30n],
      ["d", "CREDIT", 1000n],
    ]);
  });
});
