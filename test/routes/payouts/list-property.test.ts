// Property: whatever combination of filters a list request carries, walking its pages returns
// exactly the payouts an in-memory filter over every payout of the business returns, newest
// first (by creation time, then id), each once; and walking `offset` through 1,000 payouts visits each exactly once.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { payoutStatuses } from "../../../schema/payouts";
import { newId } from "../../../src/lib/ids";
import { manyAtOnce, type Seeded, seedBusiness } from "../../harness";
import { insertPayouts, type SeedPayout, walk } from "./helpers";

const days = ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"];
const onBehalf = ["m1", "m2", "m3"];

let s: Seeded;
let all: SeedPayout[];

beforeAll(async () => {
  // The property runs hundreds of list requests on one key, one after another.
  s = await seedBusiness({ rateLimit: manyAtOnce });
  // Deterministic spread: every status, day, sub-merchant (or none), with times at both ends of days.
  all = Array.from({ length: 1_000 }, (_, i) => ({
    id: newId("payout"),
    refId: `p${i}`,
    status: payoutStatuses[(i * 7) % 5]!,
    createdAt: `${days[(i * 3) % 5]}T${String((i * 5) % 24).padStart(2, "0")}:${i % 2 ? "59:59.999" : "00:00.000"}Z`,
    onBehalfOfId: i % 4 === 3 ? null : onBehalf[i % 3]!,
  }));
  await insertPayouts(s.business.id, all);
});

interface Filters {
  startDate?: string;
  endDate?: string;
  ids?: string[];
  invertIds?: boolean;
  statuses?: string[];
  invertStatuses?: boolean;
  refIds?: string[];
  onBehalfOfId?: string;
}

function query(f: Filters): string {
  const q = new URLSearchParams();
  if (f.startDate) q.append("startDate", f.startDate);
  if (f.endDate) q.append("endDate", f.endDate);
  for (const id of f.ids ?? []) q.append("ids", id);
  if (f.invertIds !== undefined) q.append("invertIds", String(f.invertIds));
  for (const st of f.statuses ?? []) q.append("statuses", st);
  if (f.invertStatuses !== undefined) q.append("invertStatuses", String(f.invertStatuses));
  for (const r of f.refIds ?? []) q.append("refIds", r);
  if (f.onBehalfOfId) q.append("onBehalfOfId", f.onBehalfOfId);
  return q.toString();
}

function model(f: Filters): string[] {
  const end = (d: string) => new Date(new Date(`${d}T00:00:00Z`).getTime() + 86_400_000);
  return all
    .filter((p) => {
      const at = new Date(p.createdAt);
      if (f.startDate && at < new Date(`${f.startDate}T00:00:00Z`)) return false;
      if (f.endDate && at >= end(f.endDate)) return false;
      if (f.ids && f.ids.includes(p.id) === !!f.invertIds) return false;
      if (f.statuses && f.statuses.includes(p.status) === !!f.invertStatuses) return false;
      if (f.refIds && !f.refIds.includes(p.refId)) return false;
      if (f.onBehalfOfId && p.onBehalfOfId !== f.onBehalfOfId) return false;
      return true;
    })
    .sort(newestFirst)
    .map((p) => p.id);
}

/**
 * The list's order: creation time, newest first, then id (bytewise, the "C" collation) for payouts
 * created at the same instant. The seeded times repeat (240 distinct for 1,000 payouts) and do not
 * follow the ids, so both halves of the order are exercised.
 */
function newestFirst(a: SeedPayout, b: SeedPayout): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const filters: fc.Arbitrary<Filters> = fc
  .record(
    {
      dates: fc.tuple(fc.constantFrom(...days), fc.constantFrom(...days)).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
      useStart: fc.boolean(),
      useEnd: fc.boolean(),
      ids: fc.uniqueArray(
        fc.oneof(
          fc.integer({ min: 0, max: 999 }).map((i) => all[i]!.id),
          fc.constant("pay_01jz8k6q4m0x3v7e2c5n9r1t8w"),
        ),
        { minLength: 1, maxLength: 40 },
      ),
      invertIds: fc.option(fc.boolean(), { nil: undefined }),
      statuses: fc.uniqueArray(fc.constantFrom(...payoutStatuses), { minLength: 1, maxLength: 5 }),
      invertStatuses: fc.option(fc.boolean(), { nil: undefined }),
      refIds: fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 1_200 }).map((i) => `p${i}`)), { minLength: 1, maxLength: 60 }),
      onBehalfOfId: fc.constantFrom(...onBehalf),
    },
    { requiredKeys: ["dates", "useStart", "useEnd"] },
  )
  .map((r) => ({
    startDate: r.useStart ? r.dates[0] : undefined,
    endDate: r.useEnd ? r.dates[1] : undefined,
    ...(r.ids ? { ids: r.ids, invertIds: r.invertIds } : {}),
    ...(r.statuses ? { statuses: r.statuses, invertStatuses: r.invertStatuses } : {}),
    ...(r.refIds ? { refIds: r.refIds } : {}),
    ...(r.onBehalfOfId ? { onBehalfOfId: r.onBehalfOfId } : {}),
  }));

describe("GET /api/v1/payouts (property)", () => {
  it("any filter combination returns what the same filter over every payout returns, each once, newest first", async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filters, fc.integer({ min: 1, max: 200 }), async (f, limit) => {
        const expected = model(f);
        if (expected.length) nonEmpty += 1;
        // Small pages only when there are few rows, so a run stays a handful of requests.
        const { ids } = await walk(s, query(f), Math.max(limit, Math.ceil(expected.length / 8)));
        expect(ids).toEqual(expected);
      }),
      { numRuns: 120 },
    );
    // The generator must reach combinations that select something, or the property says little.
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it("walking offset through 1,000 payouts visits each exactly once", async () => {
    const { ids, pages } = await walk(s, "", 37);
    expect(pages).toBe(Math.ceil(1_000 / 37));
    expect(ids.length).toBe(1_000);
    expect(new Set(ids).size).toBe(1_000);
    expect(ids).toEqual([...all].sort(newestFirst).map((p) => p.id));
  });
});
