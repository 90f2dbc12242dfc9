import { type Chart, renderAccount } from "./accounts";
import { renderBankTransaction } from "./bank-transaction-render";
import { jsonValue, num, type Row } from "./sql";

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
