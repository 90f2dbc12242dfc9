// Shared by the payout concurrency tests: each runs hundreds of requests on one business.
import { sql } from "drizzle-orm";
import { type Seeded, testDb } from "../../harness";
import { initiate } from "./helpers";

export { manyAtOnce } from "../../harness";

export type Answer = {
  status: number;
  body: { payout?: { id: string; initiation: { refId: string } }; data?: { id: string }; error?: { code: string } };
};

export async function pay(s: Seeded, initiation: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer> {
  const res = await initiate(s, initiation, headers);
  return { status: res.status, body: await res.json() };
}

export async function topUp(s: Seeded, email: string, amount: number): Promise<Answer> {
  const res = await s.call("POST", "/api/v1/payout-users", { json: { email, amount } });
  return { status: res.status, body: await res.json() };
}

export async function payoutIds(businessId: string): Promise<string[]> {
  const { rows } = await testDb().execute<{ id: string }>(sql`SELECT id FROM payouts WHERE business_id = ${businessId} ORDER BY id`);
  return rows.map((r) => r.id);
}

export const dollar = { value: "1.00", currency: "USD" };
