// Shared by the lifecycle and rail webhook tests: payouts seeded as the payouts group writes them
// (row, first history row and the hold in one statement), and signed rail events.
import { env, SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import type { PayoutStatus } from "../../schema/payouts";
import type { Env } from "../../src/env";
import { newId } from "../../src/lib/ids";
import { localSandboxSecret, signWebhook } from "../../src/rails/signing";
import { testDb } from "../harness";

export const workerEnv = env as unknown as Env;

export interface SeedPayout {
  businessId: string;
  amount?: number;
  creditorName?: string;
  status?: PayoutStatus;
  /** Fund it from this payout user's balance instead of the business balance. */
  payoutUserId?: string;
  /** Backdate the row, for the cron's grace period. */
  ageSeconds?: number;
}

/** A payout with its amount held, as POST /api/v1/payouts leaves it (one statement). */
export async function seedPayout(o: SeedPayout): Promise<string> {
  const id = newId("payout");
  const amount = o.amount ?? 1000;
  const status = o.status ?? "INITIATION_PENDING";
  const creditor = { name: o.creditorName ?? "Ada Lovelace", iban: "GB33BUKB20201555555555", bic: "BUKBGB22" };
  const initiation = {
    refId: id.slice(-12),
    amount: { value: (amount / 100).toFixed(2), currency: "EUR" },
    localInstrument: "SEPA",
    creditor,
  };
  const age = o.ageSeconds ?? 0;
  await testDb().execute(sql`
    WITH business_hold AS (
      UPDATE businesses SET payout_balance = payout_balance - ${amount}
      WHERE id = ${o.businessId} AND ${o.payoutUserId ?? null}::text IS NULL RETURNING id
    ), user_hold AS (
      UPDATE payout_users SET balance = balance - ${amount} WHERE id = ${o.payoutUserId ?? null} RETURNING id
    ), p AS (
      INSERT INTO payouts (id, business_id, ref_id, status, amount, currency, local_instrument, creditor, initiation, payout_user_id, created_at, updated_at)
      VALUES (${id}, ${o.businessId}, ${initiation.refId}, ${status}, ${amount}, 'EUR', 'SEPA', ${JSON.stringify(creditor)}::jsonb,
              ${JSON.stringify(initiation)}::jsonb, ${o.payoutUserId ?? null}, now() - make_interval(secs => ${age}), now() - make_interval(secs => ${age}))
      RETURNING id
    )
    INSERT INTO payout_status_history (id, business_id, payout_id, status, reason)
    SELECT ${newId("payoutStatus")}, ${o.businessId}, id, ${status}, NULL FROM p`);
  return id;
}

export async function payoutRow(id: string) {
  const { rows } = await testDb().execute<{ status: PayoutStatus; status_reason_information: string | null; submitted_at: string | null }>(
    sql`SELECT status, status_reason_information, submitted_at FROM payouts WHERE id = ${id}`,
  );
  return rows[0]!;
}

export async function history(id: string): Promise<PayoutStatus[]> {
  const { rows } = await testDb().execute<{ status: PayoutStatus }>(
    sql`SELECT status FROM payout_status_history WHERE payout_id = ${id} ORDER BY id COLLATE "C"`,
  );
  return rows.map((r) => r.status);
}

export async function eventsFor(id: string): Promise<number> {
  const { rows } = await testDb().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM rail_webhook_events WHERE payout_id = ${id}`);
  return rows[0]!.n;
}

export async function businessBalance(businessId: string): Promise<number> {
  const { rows } = await testDb().execute<{ b: string }>(sql`SELECT payout_balance AS b FROM businesses WHERE id = ${businessId}`);
  return Number(rows[0]!.b);
}

export type SandboxWord = "processing" | "settled" | "rejected" | "failed";

export interface RailEventOptions {
  businessId: string;
  payoutId: string;
  status: SandboxWord | string;
  webhookId?: string;
  reason?: string;
  at?: Date;
  secret?: string;
  rail?: string;
}

let seq = 0;

/** POSTs a sandbox rail event, signed as the rail signs it (or with what the options say). */
export function sendRailEvent(o: RailEventOptions, tamper?: (h: Record<string, string>, body: string) => [Record<string, string>, string]) {
  const payload = JSON.stringify({
    type: `payment.${o.status}`,
    timestamp: new Date().toISOString(),
    data: {
      payment_id: "sbx_test",
      idempotency_key: o.payoutId,
      status: o.status,
      reason: o.reason ?? `sandbox says ${o.status}`,
      metadata: { business_id: o.businessId },
    },
  });
  const id = o.webhookId ?? `msg_test_${Date.now()}_${seq++}`;
  let headers = { "Content-Type": "application/json", ...signWebhook(o.secret ?? localSandboxSecret, id, o.at ?? new Date(), payload) };
  let body = payload;
  if (tamper) [headers, body] = tamper(headers, body) as [typeof headers, string];
  return SELF.fetch(`http://disburse.test/webhooks/rails/${o.rail ?? "sandbox"}`, { method: "POST", headers, body });
}

/** Polls until `check` passes or the time is up. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}
