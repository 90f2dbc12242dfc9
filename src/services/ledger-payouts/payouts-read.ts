import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type AccountRow, Chart, ensuredAccountsQuery, renderAccount } from "./accounts";
import { batchRows, isoText, jsonValue, num, type Row } from "./sql";

/**
 * Columns of a payout with its match and matched bank transaction, under alias p (payout),
 * m (match), b (bank transaction).
 */
export const payoutCoreColumns = sql.raw(`
  p.id, p.external_id, p.business_id, p.paid_out_amount::text AS paid_out_amount, p.fee::text AS fee,
  p.additional_refunds_amount::text AS additional_refunds_amount, p.processor, p.clearing_account_id,
  ${isoText("p.imported_at")} AS imported_at, ${isoText("p.completed_at")} AS completed_at,
  p.other_transactions, p.tags, p.memo, p.metadata, p.reference_number,
  m.id AS match_id, m.details_id AS match_details_id,
  b.id AS bank_id, b.source AS bank_source, b.source_transaction_id AS bank_source_transaction_id,
  b.source_account_id AS bank_source_account_id, b.account_name AS bank_account_name,
  ${isoText("b.imported_at")} AS bank_imported_at, ${isoText("b.date")} AS bank_date,
  ${isoText("date_trunc('day', b.date AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")} AS bank_day,
  b.direction AS bank_direction, b.amount::text AS bank_amount, b.counterparty_name AS bank_counterparty_name,
  b.description AS bank_description`);

export const payoutCoreFrom = sql.raw(`ledger_payouts p
  LEFT JOIN payout_matches m ON m.payout_id = p.id
  LEFT JOIN bank_transactions b ON b.id = m.bank_transaction_id`);

/**
 * The statements that load full payouts: `set` is a subquery of payout ids (already filtered by
 * business). They can run in any batch, including after the writes of a chunk.
 */
export function payoutLoadStatements(businessId: string, set: SQL): SQL[] {
  return [
    sql`SELECT ${payoutCoreColumns} FROM ${payoutCoreFrom} WHERE p.business_id = ${businessId} AND p.id IN (${set})
        ORDER BY p.id COLLATE "C"`,
    sql`SELECT l.payout_id, l.position, ip.id, ip.external_id, ip.invoice_id, ip.amount::text AS amount, ip.fee::text AS fee,
          ip.processor, ip.method, ${sql.raw(isoText("ip.completed_at"))} AS completed_at, ip.clearing_account_id,
          ip.memo, ip.metadata, ip.reference_number, ${sql.raw(isoText("ip.imported_at"))} AS imported_at
        FROM payout_payments l JOIN invoice_payments ip ON ip.id = l.payment_id
        WHERE l.payout_id IN (${set}) ORDER BY l.payout_id, l.position`,
    sql`SELECT l.payout_id, l.position, r.id, r.external_id, r.refund_payment_id, r.refund_payment_external_id,
          r.refunded_amount::text AS refunded_amount, r.fee::text AS fee, r.processor, r.method, r.status,
          ${sql.raw(isoText("r.completed_at"))} AS completed_at, r.account_id, r.memo, r.metadata, r.reference_number
        FROM payout_refunds l JOIN refunds r ON r.id = l.refund_id
        WHERE l.payout_id IN (${set}) ORDER BY l.payout_id, l.position`,
    // Every payout each of those payments and refunds belongs to (a payment may be in several).
    sql`SELECT 'payment' AS owner_kind, l2.payment_id AS owner_id, ${payoutCoreColumns}
        FROM payout_payments l1
        JOIN payout_payments l2 ON l2.payment_id = l1.payment_id
        JOIN ${payoutCoreFrom} ON p.id = l2.payout_id
        WHERE l1.payout_id IN (${set})
        UNION ALL
        SELECT 'refund', l2.refund_id, ${payoutCoreColumns}
        FROM payout_refunds l1
        JOIN payout_refunds l2 ON l2.refund_id = l1.refund_id
        JOIN ${payoutCoreFrom} ON p.id = l2.payout_id
        WHERE l1.payout_id IN (${set})`,
  ];
}

const tags = (v: unknown) => jsonValue<unknown[]>(v) ?? [];

/** Builds the page's payout objects from the rows of payoutLoadStatements. */
export function renderPayouts(chart: Chart, [core, payments, refunds, nested]: Row[][]): Payout[] {
  const account = (id: unknown) => {
    const a = typeof id === "string" ? chart.byId.get(id) : undefined;
    return a ? renderAccount(a) : null;
  };
  const summaries = new Map<string, PayoutSummary>();
  const summary = (r: Row): PayoutSummary => {
    const id = r.id as string;
    let s = summaries.get(id);
    if (!s) summaries.set(id, (s = renderCore(r, account)));
    return s;
  };
  const owners = new Map<string, PayoutSummary[]>();
  for (const r of nested ?? []) {
    const key = `${r.owner_kind}:${r.owner_id}`;
    const list = owners.get(key) ?? [];
    if (!list.some((s) => s.id === r.id)) list.push(summary(r));
    owners.set(key, list);
  }
  const paymentsBy = groupBy(payments ?? [], "payout_id");
  const refundsBy = groupBy(refunds ?? [], "payout_id");
  return (core ?? []).map((r) => {
    const id = r.id as string;
    return {
      ...summary(r),
      additional_refunds_amount: num(r.additional_refunds_amount),
      other_transactions: jsonValue<unknown[]>(r.other_transactions) ?? [],
      payments: (paymentsBy.get(id) ?? []).map((p) => renderPayment(p, account, owners.get(`payment:${p.id}`) ?? [])),
      refunds: (refundsBy.get(id) ?? []).map((f) => renderRefund(f, account, owners.get(`refund:${f.id}`) ?? [])),
    };
  });
}

function groupBy(rows: Row[], key: string): Map<string, Row[]> {
  const map = new Map<string, Row[]>();
  for (const r of rows) {
    const k = r[key] as string;
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

type AccountOf = (id: unknown) => ReturnType<typeof renderAccount> | null;

function renderCore(r: Row, account: AccountOf) {
  return {
    id: r.id as string,
    external_id: r.external_id as string,
    business_id: r.business_id as string,
    paid_out_amount: num(r.paid_out_amount),
    fee: num(r.fee),
    processor: (r.processor as string | null) ?? null,
    payment_clearing_account: account(r.clearing_account_id),
    imported_at: r.imported_at as string,
    completed_at: r.completed_at as string,
    match: r.match_id ? renderMatch(r) : null,
    transaction_tags: tags(r.tags),
    memo: (r.memo as string | null) ?? null,
    metadata: jsonValue<Record<string, unknown> | null>(r.metadata) ?? null,
    reference_number: (r.reference_number as string | null) ?? null,
  };
}
export type PayoutSummary = ReturnType<typeof renderCore>;

function renderMatch(r: Row) {
  return {
    id: r.match_id as string,
    match_type: "PAYOUT" as const,
    bank_transaction: renderBankTransaction(
      {
        id: r.bank_id,
        business_id: r.business_id,
        source: r.bank_source,
        source_transaction_id: r.bank_source_transaction_id,
        source_account_id: r.bank_source_account_id,
        imported_at: r.bank_imported_at,
        date: r.bank_date,
        direction: r.bank_direction,
        amount: r.bank_amount,
        counterparty_name: r.bank_counterparty_name,
        description: r.bank_description,
        account_name: r.bank_account_name,
      },
      true,
    ),
    details: {
      type: "Payout_Match" as const,
      id: r.match_details_id as string,
      amount: num(r.bank_amount),
      date: r.bank_day as string,
      description: `Payout from ${r.processor ?? "processor"}.`,
      adjustment: null,
    },
  };
}

export function renderBankTransaction(r: Row, matched: boolean) {
  return {
    type: "Bank_Transaction_Data" as const,
    id: r.id as string,
    business_id: r.business_id as string,
    source: r.source as string,
    source_transaction_id: r.source_transaction_id as string,
    source_account_id: (r.source_account_id as string | null) ?? null,
    imported_at: r.imported_at as string,
    date: r.date as string,
    direction: r.direction as "CREDIT" | "DEBIT",
    amount: num(r.amount),
    counterparty_name: (r.counterparty_name as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    account_name: (r.account_name as string | null) ?? null,
    categorization_status: matched ? ("MATCHED" as const) : ("READY_FOR_INPUT" as const),
  };
}

function renderPayment(p: Row, account: AccountOf, payouts: PayoutSummary[]) {
  const metadata = jsonValue<Record<string, unknown> | null>(p.metadata) ?? null;
  const amount = num(p.amount);
  return {
    id: p.id as string,
    external_id: (p.external_id as string | null) ?? null,
    at: p.completed_at as string,
    fee: num(p.fee),
    prepayment_account: null,
    payment_clearing_account: account(p.clearing_account_id),
    additional_fees: [],
    amount,
    processor: (p.processor as string | null) ?? null,
    imported_at: p.imported_at as string,
    allocations: [
      {
        invoice_id: (p.invoice_id as string | null) ?? null,
        payment_id: p.id as string,
        amount,
        amount_net_of_refunds: amount,
        transaction_tags: [],
        memo: (p.memo as string | null) ?? null,
        metadata,
        reference_number: (p.reference_number as string | null) ?? null,
      },
    ],
    refund_allocations: [],
    payouts,
    transaction_tags: [],
    memo: (p.memo as string | null) ?? null,
    metadata,
    reference_number: (p.reference_number as string | null) ?? null,
  };
}

function renderRefund(f: Row, account: AccountOf, payouts: PayoutSummary[]) {
  const metadata = jsonValue<Record<string, unknown> | null>(f.metadata) ?? null;
  const amount = num(f.refunded_amount);
  const accountRef = { type: "AccountId" as const, id: f.account_id as string };
  return {
    id: f.id as string,
    external_id: (f.external_id as string | null) ?? null,
    refunded_amount: amount,
    status: f.status as string,
    completed_at: f.completed_at as string,
    is_dedicated: true,
    allocations: [
      {
        id: f.id as string,
        invoice_id: null,
        amount,
        account_identifier: accountRef,
        invoice_external_id: null,
        invoice_line_item_id: null,
        invoice_line_item_external_id: null,
        invoice_payment_id: null,
        invoice_payment_external_id: null,
        customer: null,
        transaction_tags: [],
        memo: (f.memo as string | null) ?? null,
        metadata,
        reference_number: (f.reference_number as string | null) ?? null,
      },
    ],
    payments: [
      {
        id: f.refund_payment_id as string,
        external_id: (f.refund_payment_external_id as string | null) ?? null,
        refunded_amount: amount,
        fee: num(f.fee),
        completed_at: f.completed_at as string,
        method: (f.method as string | null) ?? null,
        processor: (f.processor as string | null) ?? null,
        payment_clearing_account: account(f.account_id),
        refunded_payment_fees: [],
        transaction_tags: [],
        memo: (f.memo as string | null) ?? null,
        metadata,
        reference_number: (f.reference_number as string | null) ?? null,
      },
    ],
    payouts,
    transaction_tags: [],
    memo: (f.memo as string | null) ?? null,
    metadata,
    reference_number: (f.reference_number as string | null) ?? null,
  };
}

export type Payout = PayoutSummary & {
  additional_refunds_amount: number;
  other_transactions: unknown[];
  payments: ReturnType<typeof renderPayment>[];
  refunds: ReturnType<typeof renderRefund>[];
};

export interface PayoutFilters {
  limit: number;
  after?: string;
  reference_number?: string;
  external_id?: string;
  processor?: string;
  completed_after?: string;
  completed_before?: string;
  matched?: boolean;
}

/** One page of payouts (limit + 1, see toPage), in one round trip with the chart. */
export async function listPayouts(db: Db, businessId: string, f: PayoutFilters): Promise<Payout[]> {
  const where: SQL[] = [sql`q.business_id = ${businessId}`];
  if (f.after !== undefined) where.push(sql`q.id COLLATE "C" > ${f.after}`);
  if (f.reference_number !== undefined) where.push(sql`q.reference_number = ${f.reference_number}`);
  if (f.external_id !== undefined) where.push(sql`q.external_id = ${f.external_id}`);
  if (f.processor !== undefined) where.push(sql`q.processor = ${f.processor}`);
  if (f.completed_after !== undefined) where.push(sql`q.completed_at >= ${f.completed_after}::timestamptz`);
  if (f.completed_before !== undefined) where.push(sql`q.completed_at < ${f.completed_before}::timestamptz`);
  if (f.matched !== undefined) {
    where.push(
      f.matched
        ? sql`EXISTS (SELECT 1 FROM payout_matches x WHERE x.payout_id = q.id)`
        : sql`NOT EXISTS (SELECT 1 FROM payout_matches x WHERE x.payout_id = q.id)`,
    );
  }
  const set = sql`SELECT q.id FROM ledger_payouts q WHERE ${sql.join(where, sql` AND `)} ORDER BY q.id COLLATE "C" LIMIT ${f.limit + 1}`;
  return loadPayouts(db, businessId, set);
}

export async function getPayout(db: Db, businessId: string, id: string): Promise<Payout | undefined> {
  const [payout] = await loadPayouts(db, businessId, sql`SELECT ${id}::text`);
  return payout;
}

async function loadPayouts(db: Db, businessId: string, set: SQL): Promise<Payout[]> {
  const [accounts, ...rows] = await batchRows(db, [ensuredAccountsQuery(businessId), ...payoutLoadStatements(businessId, set)]);
  return renderPayouts(new Chart(accounts as unknown as AccountRow[]), rows);
}
