// Shared setup for the ledger-payouts tests: paths, seeding payments and refunds that exist
// before a payout names them (the group has no endpoint of its own for those), and reading back.
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { newId } from "../../../src/lib/ids";
import { type Seeded, testDb } from "../../harness";

export const base = (s: Seeded, businessId = s.business.id) => `/v1/businesses/${businessId}`;

export interface AccountJson {
  id: { type: "AccountId"; id: string };
  name: string;
  account_number: string;
  stable_name: { type: "StableName"; stable_name: string } | null;
  account_type: { display_name: string };
  account_subtype: { display_name: string };
  normal_balance: string;
  debits: number;
  credits: number;
  balance: number;
}

export async function accounts(s: Seeded): Promise<Record<string, AccountJson>> {
  const res = await s.call("GET", `${base(s)}/ledger/accounts`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: AccountJson[] };
  return Object.fromEntries(body.data.map((a) => [a.stable_name?.stable_name ?? a.id.id, a]));
}

/** A payment booked to Accounts Receivable, as an invoicing integration would have left it. */
export async function seedPayment(s: Seeded, opts: { external_id?: string; amount: number; processor?: string | null }) {
  const chart = await accounts(s);
  const id = newId("invoicePayment");
  await testDb().execute(sql`
    INSERT INTO invoice_payments (id, business_id, external_id, amount, processor, completed_at, clearing_account_id)
    VALUES (${id}, ${s.business.id}, ${opts.external_id ?? null}, ${opts.amount}, ${opts.processor === undefined ? "STRIPE" : opts.processor},
            '2023-11-06T00:00:00Z', ${chart.ACCOUNTS_RECEIVABLE!.id.id})`);
  return id;
}

export async function seedRefund(
  s: Seeded,
  opts: { external_id: string; amount: number; processor?: string | null; payment_external_id?: string },
) {
  const chart = await accounts(s);
  const id = newId("refund");
  const paymentId = newId("refundPayment");
  await testDb().execute(sql`
    INSERT INTO refunds (id, business_id, external_id, refund_payment_id, refund_payment_external_id, refunded_amount, processor,
                         completed_at, account_id)
    VALUES (${id}, ${s.business.id}, ${opts.external_id}, ${paymentId}, ${opts.payment_external_id ?? null}, ${opts.amount},
            ${opts.processor === undefined ? "STRIPE" : opts.processor}, '2023-11-06T00:00:00Z', ${chart.REFUNDS!.id.id})`);
  return { id, paymentId };
}

export interface PayoutJson {
  id: string;
  external_id: string;
  business_id: string;
  paid_out_amount: number;
  fee: number;
  processor: string | null;
  payment_clearing_account: AccountJson | null;
  imported_at: string;
  completed_at: string;
  match: null | {
    id: string;
    match_type: string;
    bank_transaction: Record<string, unknown> & { id: string };
    details: Record<string, unknown>;
  };
  payments: (Record<string, unknown> & { id: string; amount: number; external_id: string | null })[];
  refunds: (Record<string, unknown> & { id: string; refunded_amount: number })[];
  transaction_tags: Record<string, unknown>[];
  memo: string | null;
  metadata: Record<string, unknown> | null;
  reference_number: string | null;
}

export interface EntryJson {
  id: string;
  payout_id: string;
  lines: {
    id: string;
    account: { id: { id: string }; stable_name: { stable_name: string } | null };
    direction: "DEBIT" | "CREDIT";
    amount: number;
  }[];
}

export async function entries(s: Seeded, query = ""): Promise<EntryJson[]> {
  const res = await s.call("GET", `${base(s)}/ledger/entries?limit=200${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: EntryJson[] }).data;
}

/** A payout that balances: one new payment of `amount`, a fee, paid out the rest. */
export function simplePayout(external_id: string, amount = 1000, fee = 30, extra: Record<string, unknown> = {}) {
  return {
    external_id,
    paid_out_amount: amount - fee,
    fee,
    completed_at: "2024-03-05T10:00:00Z",
    processor: "STRIPE",
    payments: [{ invoice_payment_external_id: `${external_id}-pay`, amount }],
    ...extra,
  };
}

export async function postBulk(s: Seeded, body: unknown, businessId?: string) {
  return s.call("POST", `${base(s, businessId)}/payouts/bulk`, { json: body });
}
