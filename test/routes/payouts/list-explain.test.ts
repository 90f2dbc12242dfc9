// The list is one statement whatever its filters, and Postgres answers it from the indexes:
// EXPLAIN over 100,000 payouts of one business (among other businesses' payouts).
import { type SQL, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listStatement, type PayoutFilters } from "../../../src/services/payouts/read";
import { type Seeded, seedBusiness, testDb } from "../../harness";

let s: Seeded;

// Payout ids of this run: a database kept between runs (TEST_POSTGRES_URL) already holds the last run's.
const run = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
const mine = `e${run}`;
const theirs = `f${run}`;
/** The id insertMany gives the g-th payout under a prefix. */
const idOf = (prefix: string, g: number) => `pay_${prefix}${g.toString(16).padStart(26 - prefix.length, "0")}`;

/** 100,000 payouts over 70 days, five statuses, 50 sub-merchants, in one statement; submitted, so no cron re-hands them. */
async function insertMany(businessId: string, count: number, prefix: string): Promise<void> {
  await testDb().execute(sql`
    INSERT INTO payouts (id, business_id, ref_id, status, amount, currency, local_instrument, creditor, initiation,
                         on_behalf_of_id, created_at, updated_at, submitted_at)
    SELECT ${`pay_${prefix}`} || lpad(to_hex(g), ${26 - prefix.length}, '0'), ${businessId}, 'x' || g,
           (ARRAY['INITIATION_PENDING', 'INITIATION_PROCESSING', 'INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED'])[1 + g % 5],
           100 + g % 1000, 'USD', 'SEPA', '{"name": "A", "iban": "DE89370400440532013000"}'::jsonb,
           jsonb_build_object('refId', 'x' || g, 'amount', jsonb_build_object('value', '1.00', 'currency', 'USD'), 'localInstrument', 'SEPA',
                              'creditor', '{"name": "A", "iban": "DE89370400440532013000"}'::jsonb, 'onBehalfOfId', 'm' || (g % 50)),
           'm' || (g % 50), timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute',
           timestamptz '2026-01-01' + g * interval '1 minute'
    FROM generate_series(1, ${count}) AS g`);
}

async function plan(statement: SQL): Promise<string> {
  const { rows } = await testDb().execute<{ "QUERY PLAN": string }>(sql`EXPLAIN ${statement}`);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

beforeAll(async () => {
  s = await seedBusiness();
  const other = await seedBusiness();
  await insertMany(s.business.id, 100_000, mine);
  await insertMany(other.business.id, 10_000, theirs);
  await testDb().execute(sql`ANALYZE payouts`);
}, 300_000);

// The third element: what the plan's index condition must hold, so that a date range or an offset is
// a range of the index and not rows read and thrown away.
const cases: [string, Omit<PayoutFilters, "limit">, RegExp?][] = [
  ["no filter", {}],
  [
    "three filters: dates, statuses, onBehalfOfId",
    { startDate: "2026-01-20", endDate: "2026-02-10", statuses: ["INITIATION_COMPLETED", "INITIATION_FAILED"], onBehalfOfId: "m7" },
    /Index Cond: .*on_behalf_of_id = .*created_at >= .*created_at </,
  ],
  [
    "inverted statuses after an offset",
    { before: idOf(mine, 0x100a0), statuses: ["INITIATION_PENDING"], invertStatuses: true },
    /Index Cond: .*ROW\(created_at, .*id.*\) < ROW\(/,
  ],
  ["ids", { ids: [idOf(mine, 0x1f), idOf(mine, 0xabc)] }],
  ["refIds", { refIds: ["x17", "x99999"] }],
  ["a narrow date range", { startDate: "2026-02-01", endDate: "2026-02-01" }, /Index Cond: .*created_at >= .*created_at </],
];

describe("GET /api/v1/payouts over 100,000 payouts", () => {
  it.each(cases)("%s: one statement on an index of payouts, no sequential scan", async (name, filters, indexCond) => {
    const text = await plan(listStatement(s.business.id, { ...filters, limit: 50 }));
    console.log(`EXPLAIN (${name}):\n${text}`);
    expect(text).toMatch(/Index (Only )?Scan.* on payouts|Bitmap Index Scan on payouts_/);
    expect(text).not.toMatch(/Seq Scan on payouts/);
    if (indexCond) expect(text).toMatch(indexCond);
  });

  it("answers the three-filter page from the API", async () => {
    const res = await s.call(
      "GET",
      "/api/v1/payouts?limit=50&startDate=2026-01-20&endDate=2026-02-10&statuses=INITIATION_COMPLETED&statuses=INITIATION_FAILED&onBehalfOfId=m7",
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      payouts: { status: string; initiation: { onBehalfOfId: string } }[];
      paging: { haveMore: boolean };
    };
    expect(body.payouts.length).toBe(50);
    expect(body.paging.haveMore).toBe(true);
    expect(
      body.payouts.every((p) => p.initiation.onBehalfOfId === "m7" && ["INITIATION_COMPLETED", "INITIATION_FAILED"].includes(p.status)),
    ).toBe(true);
  });
});
