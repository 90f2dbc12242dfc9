import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { ApiError, type FieldErrors } from "../../http/errors";
import { newId } from "../../lib/ids";
import { type AccountIdentifier, type AccountRow, Chart, ensuredAccountsQuery } from "./accounts";
import { type ChunkOptions, defaultChunkRows, splitByWeight, writeInChunks } from "./chunks";
import { type LineInput, planJournal } from "./journal";
import { matchPayoutsByAmount } from "./matching";
import { payoutLoadStatements } from "./payout-load-statements";
import { type Payout, renderPayouts } from "./payout-render";
import { batchRows } from "./sql";

/** A payout as the route validated it (zod output of PayoutInputSchema). */
export interface PayoutIn {
  external_id: string;
  paid_out_amount: number;
  fee: number;
  completed_at: string;
  payments: PaymentIn[];
  additional_refunds_amount: number;
  processor?: string | null;
  payment_clearing_account_identifier?: AccountIdentifier | null;
  refunds: RefundIn[];
  other_transactions: { amount: number; account: AccountIdentifier; description?: string | null; external_id?: string | null }[];
  tags: { key: string; value: string; dimension_display_name?: string | null; value_display_name?: string | null }[];
  memo?: string | null;
  metadata?: Record<string, unknown> | null;
  reference_number?: string | null;
}
interface RecordFields {
  memo?: string | null;
  metadata?: Record<string, unknown> | null;
  reference_number?: string | null;
}
export interface PaymentIn extends RecordFields {
  invoice_payment_id?: string;
  invoice_payment_external_id?: string;
  amount?: number;
  fee?: number;
  completed_at?: string;
  method?: string;
  processor?: string;
  invoice_external_id?: string;
}
export interface RefundIn extends RecordFields {
  refund_payment_id?: string;
  refund_payment_external_id?: string;
  refund_id?: string;
  refund_external_id?: string;
  refunded_amount?: number;
  fee?: number;
  completed_at?: string;
  method?: string;
  processor?: string;
}

interface StoredPayment {
  id: string;
  external_id: string | null;
  processor: string | null;
  amount: bigint;
  clearing_account_id: string;
}
interface StoredRefund {
  id: string;
  external_id: string | null;
  refund_payment_id: string;
  refund_payment_external_id: string | null;
  processor: string | null;
  refunded_amount: bigint;
  account_id: string;
}

/** Everything the writes need, resolved against the database by one read. */
interface Resolved {
  chart: Chart;
  paymentsById: Map<string, StoredPayment>;
  paymentsByExt: Map<string, StoredPayment>;
  refunds: StoredRefund[];
}

/**
 * Validates the whole request, then writes it in chunks (see chunks.ts) and matches the payouts
 * against bank credits. Throws a 400 listing every problem by path before anything is written.
 */
export async function bulkUpsertPayouts(
  db: Db,
  businessId: string,
  records: { index: number; value: PayoutIn }[],
  shapeErrors: FieldErrors,
  opts: ChunkOptions = {},
): Promise<BulkResult> {
  const errors: FieldErrors = { ...shapeErrors };
  const fail = (path: string, message: string) => (errors[path] ??= []).push(message);
  const payouts = records.map((r) => r.value);
  checkWithinRequest(records, fail);
  const resolved = await resolve(db, businessId, payouts);
  const plans = records.map((r) => planPayout(r.value, `${r.index}`, resolved, fail));
  if (Object.keys(errors).length) {
    throw new ApiError("validation_error", `The request has ${Object.keys(errors).length} invalid field(s); nothing was written.`, errors);
  }
  await writeInChunks(
    plans.map((p) => p!),
    (chunk, n) => writeChunk(db, businessId, chunk, n),
    opts,
  );
  await matchPayoutsByAmount(
    db,
    businessId,
    resolved.chart,
    payouts.map((p) => p.paid_out_amount),
  );
  const pages = splitByWeight(
    plans.map((p) => p!),
    defaultChunkRows,
  ).map((page) => page.items.map((p) => p.payout.external_id as string));
  return { count: payouts.length, pages: readPages(db, businessId, resolved.chart, pages) };
}

export interface BulkResult {
  count: number;
  /**
   * The answer, in request order, a page (about one chunk's worth) at a time, one round trip
   * each: the route streams it, so a Worker never holds a 1,000 x 20 answer (tens of MB) at once.
   */
  pages: AsyncGenerator<Payout[]>;
}

async function* readPages(db: Db, businessId: string, chart: Chart, pages: string[][]): AsyncGenerator<Payout[]> {
  for (const externalIds of pages) {
    const set = sql`SELECT id FROM ledger_payouts WHERE business_id = ${businessId}
      AND external_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb))`;
    const byExternalId = new Map(
      renderPayouts(chart, await batchRows(db, payoutLoadStatements(businessId, set))).map((p) => [p.external_id, p]),
    );
    yield externalIds.map((id) => byExternalId.get(id)!);
  }
}

/** Rules that need no database: unique keys inside the request. */
function checkWithinRequest(records: { index: number; value: PayoutIn }[], fail: (path: string, message: string) => void) {
  const payoutKeys = new Map<string, number>();
  const createdPayments = new Map<string, string>();
  const createdRefunds = new Map<string, string>();
  const createdRefundPayments = new Map<string, string>();
  records.forEach(({ index: i, value: p }) => {
    const earlier = payoutKeys.get(p.external_id);
    if (earlier !== undefined) fail(`${i}.external_id`, `Duplicate of payout ${earlier} in this request`);
    else payoutKeys.set(p.external_id, i);
    p.payments.forEach((pay, j) => {
      if (pay.amount === undefined || !pay.invoice_payment_external_id) return;
      const at = createdPayments.get(pay.invoice_payment_external_id);
      if (at) fail(`${i}.payments.${j}.invoice_payment_external_id`, `Also created at ${at} in this request`);
      else createdPayments.set(pay.invoice_payment_external_id, `${i}.payments.${j}`);
    });
    p.refunds.forEach((r, j) => {
      if (r.refunded_amount === undefined) return;
      const at = createdRefunds.get(r.refund_external_id!);
      if (at) fail(`${i}.refunds.${j}.refund_external_id`, `Also created at ${at} in this request`);
      else createdRefunds.set(r.refund_external_id!, `${i}.refunds.${j}`);
      if (r.refund_payment_external_id) {
        const atPayment = createdRefundPayments.get(r.refund_payment_external_id);
        if (atPayment) fail(`${i}.refunds.${j}.refund_payment_external_id`, `Also created at ${atPayment} in this request`);
        else createdRefundPayments.set(r.refund_payment_external_id, `${i}.refunds.${j}`);
      }
    });
  });
  // A payment both created and referenced would make the result depend on which chunk runs first.
  records.forEach(({ index: i, value: p }) =>
    p.payments.forEach((pay, j) => {
      const at =
        pay.amount === undefined && pay.invoice_payment_external_id ? createdPayments.get(pay.invoice_payment_external_id) : undefined;
      if (at)
        fail(
          `${i}.payments.${j}.invoice_payment_external_id`,
          `Created at ${at} in this request; create it and reference it in separate requests`,
        );
    }),
  );
  records.forEach(({ index: i, value: p }) =>
    p.refunds.forEach((r, j) => {
      const at = r.refunded_amount === undefined && r.refund_external_id ? createdRefunds.get(r.refund_external_id) : undefined;
      if (at)
        fail(`${i}.refunds.${j}.refund_external_id`, `Created at ${at} in this request; create it and reference it in separate requests`);
    }),
  );
}

const jsonList = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);

/** One round trip: the chart (created if missing) and every payment and refund the request names. */
async function resolve(db: Db, businessId: string, payouts: PayoutIn[]): Promise<Resolved> {
  const payIds: string[] = [];
  const payExts: string[] = [];
  const refundIds: string[] = [];
  const refundExts: string[] = [];
  const refundPayIds: string[] = [];
  const refundPayExts: string[] = [];
  for (const p of payouts) {
    for (const pay of p.payments) {
      if (pay.invoice_payment_id) payIds.push(pay.invoice_payment_id);
      if (pay.invoice_payment_external_id) payExts.push(pay.invoice_payment_external_id);
    }
    for (const r of p.refunds) {
      if (r.refund_id) refundIds.push(r.refund_id);
      if (r.refund_external_id) refundExts.push(r.refund_external_id);
      if (r.refund_payment_id) refundPayIds.push(r.refund_payment_id);
      if (r.refund_payment_external_id) refundPayExts.push(r.refund_payment_external_id);
    }
  }
  const elems = (list: string[]) => sql`SELECT jsonb_array_elements_text(${jsonList(list)}::jsonb)`;
  const [accounts, payments, refunds] = await batchRows(db, [
    ensuredAccountsQuery(businessId),
    // One SELECT per key (UNION, not OR) so each uses its own unique index.
    sql`SELECT id, external_id, processor, amount::text AS amount, clearing_account_id FROM invoice_payments
        WHERE business_id = ${businessId} AND id IN (${elems(payIds)})
        UNION
        SELECT id, external_id, processor, amount::text AS amount, clearing_account_id FROM invoice_payments
        WHERE business_id = ${businessId} AND external_id IN (${elems(payExts)})`,
    sql`${sql.join(
      [
        sql`id IN (${elems(refundIds)})`,
        sql`external_id IN (${elems(refundExts)})`,
        sql`refund_payment_id IN (${elems(refundPayIds)})`,
        sql`refund_payment_external_id IN (${elems(refundPayExts)})`,
      ].map(
        (where) => sql`SELECT id, external_id, refund_payment_id, refund_payment_external_id, processor,
            refunded_amount::text AS refunded_amount, account_id
          FROM refunds WHERE business_id = ${businessId} AND ${where}`,
      ),
      sql` UNION `,
    )}`,
  ]);
  const paymentsById = new Map<string, StoredPayment>();
  const paymentsByExt = new Map<string, StoredPayment>();
  for (const r of payments!) {
    const p: StoredPayment = { ...(r as unknown as StoredPayment), amount: BigInt(r.amount as string) };
    paymentsById.set(p.id, p);
    if (p.external_id) paymentsByExt.set(p.external_id, p);
  }
  return {
    chart: new Chart(accounts as unknown as AccountRow[]),
    paymentsById,
    paymentsByExt,
    refunds: refunds!.map((r) => ({ ...(r as unknown as StoredRefund), refunded_amount: BigInt(r.refunded_amount as string) })),
  };
}

/** What one payout writes: its row, new payments and refunds, links, and journal lines. */
export interface PayoutPlan {
  payout: Record<string, unknown>;
  newPayments: Record<string, unknown>[];
  paymentLinks: Record<string, unknown>[];
  newRefunds: Record<string, unknown>[];
  refundLinks: Record<string, unknown>[];
  lines: Record<string, unknown>[];
  /** Rows this payout adds to a chunk, for sizing chunks. */
  weight: number;
}

function planPayout(p: PayoutIn, at: string, r: Resolved, fail: (path: string, message: string) => void): PayoutPlan | undefined {
  const errorsBefore = new Set<string>();
  let failed = false;
  const err = (path: string, message: string) => {
    failed = true;
    errorsBefore.add(path);
    fail(path, message);
  };
  const processor = p.processor ?? null;
  const { chart } = r;
  const account = (ident: AccountIdentifier, path: string) => {
    const a = chart.resolve(ident);
    if (!a)
      err(path, ident.type === "AccountId" ? `No account with id "${ident.id}"` : `No account with stable_name "${ident.stable_name}"`);
    return a;
  };
  const clearing = p.payment_clearing_account_identifier
    ? account(p.payment_clearing_account_identifier, `${at}.payment_clearing_account_identifier`)
    : undefined;
  const journal: LineInput[] = [];
  const disagrees = (other: string | null) => processor !== null && other !== processor;

  const newPayments: Record<string, unknown>[] = [];
  const paymentLinks: Record<string, unknown>[] = [];
  const seenPayments = new Set<string>();
  p.payments.forEach((pay, j) => {
    const path = `${at}.payments.${j}`;
    if (pay.amount !== undefined) {
      const ext = pay.invoice_payment_external_id!;
      const existing = r.paymentsByExt.get(ext);
      const payProcessor = pay.processor ?? processor;
      if (pay.processor !== undefined && disagrees(pay.processor))
        err(`${path}.processor`, `Disagrees with the payout's processor ${processor}`);
      const clearingId = existing?.clearing_account_id ?? chart.stable("ACCOUNTS_RECEIVABLE").id;
      newPayments.push({
        id: newId("invoicePayment"),
        invoice_id: newId("invoice"),
        invoice_external_id: pay.invoice_external_id ?? null,
        external_id: ext,
        amount: pay.amount,
        fee: pay.fee ?? 0,
        processor: payProcessor,
        method: pay.method ?? null,
        completed_at: pay.completed_at ?? p.completed_at,
        clearing_account_id: clearingId,
        memo: pay.memo ?? null,
        metadata: pay.metadata ?? null,
        reference_number: pay.reference_number ?? null,
      });
      paymentLinks.push({ payout_external_id: p.external_id, payment_id: null, payment_external_id: ext, position: j });
      journal.push({ accountId: clearingId, debit: -BigInt(pay.amount), description: `Payment ${ext}` });
      return;
    }
    const byId = pay.invoice_payment_id !== undefined ? r.paymentsById.get(pay.invoice_payment_id) : undefined;
    const byExt = pay.invoice_payment_external_id !== undefined ? r.paymentsByExt.get(pay.invoice_payment_external_id) : undefined;
    if (pay.invoice_payment_id !== undefined && !byId) err(`${path}.invoice_payment_id`, `No payment with id "${pay.invoice_payment_id}"`);
    if (pay.invoice_payment_external_id !== undefined && !byExt) {
      err(`${path}.invoice_payment_external_id`, `No payment with external_id "${pay.invoice_payment_external_id}"`);
    }
    if (byId && byExt && byId.id !== byExt.id) err(`${path}.invoice_payment_external_id`, "Names another payment than invoice_payment_id");
    const stored = byId ?? byExt;
    if (!stored) return;
    const key = pay.invoice_payment_id !== undefined ? `${path}.invoice_payment_id` : `${path}.invoice_payment_external_id`;
    if (seenPayments.has(stored.id)) err(key, "This payment is already listed in this payout");
    seenPayments.add(stored.id);
    if (disagrees(stored.processor))
      err(key, `The payment's processor ${stored.processor ?? "(none)"} disagrees with the payout's processor ${processor}`);
    paymentLinks.push({ payout_external_id: p.external_id, payment_id: stored.id, payment_external_id: null, position: j });
    journal.push({
      accountId: stored.clearing_account_id,
      debit: -stored.amount,
      description: `Payment ${stored.external_id ?? stored.id}`,
    });
  });

  const newRefunds: Record<string, unknown>[] = [];
  const refundLinks: Record<string, unknown>[] = [];
  const seenRefunds = new Set<string>();
  const refundsAccount = chart.stable("REFUNDS").id;
  p.refunds.forEach((ref, j) => {
    const path = `${at}.refunds.${j}`;
    if (ref.refunded_amount !== undefined) {
      const ext = ref.refund_external_id!;
      const existing = r.refunds.find((s) => s.external_id === ext);
      const other =
        ref.refund_payment_external_id && r.refunds.find((s) => s.refund_payment_external_id === ref.refund_payment_external_id);
      if (other && other.external_id !== ext) err(`${path}.refund_payment_external_id`, "Already belongs to another refund");
      if (ref.processor !== undefined && disagrees(ref.processor))
        err(`${path}.processor`, `Disagrees with the payout's processor ${processor}`);
      const accountId = existing?.account_id ?? refundsAccount;
      newRefunds.push({
        id: newId("refund"),
        refund_payment_id: newId("refundPayment"),
        external_id: ext,
        refund_payment_external_id: ref.refund_payment_external_id ?? null,
        refunded_amount: ref.refunded_amount,
        fee: ref.fee ?? 0,
        processor: ref.processor ?? processor,
        method: ref.method ?? null,
        completed_at: ref.completed_at ?? p.completed_at,
        account_id: accountId,
        memo: ref.memo ?? null,
        metadata: ref.metadata ?? null,
        reference_number: ref.reference_number ?? null,
      });
      refundLinks.push({ payout_external_id: p.external_id, refund_id: null, refund_external_id: ext, position: j });
      journal.push({ accountId, debit: BigInt(ref.refunded_amount), description: `Refund ${ext}` });
      return;
    }
    const keys = [
      ["refund_payment_id", (s: StoredRefund) => s.refund_payment_id],
      ["refund_payment_external_id", (s: StoredRefund) => s.refund_payment_external_id],
      ["refund_id", (s: StoredRefund) => s.id],
      ["refund_external_id", (s: StoredRefund) => s.external_id],
    ] as const;
    let stored: StoredRefund | undefined;
    let keyPath = `${path}.refund_payment_id`;
    for (const [field, of] of keys) {
      const value = ref[field];
      if (value === undefined) continue;
      const found = r.refunds.find((s) => of(s) === value);
      if (!found) err(`${path}.${field}`, `No refund with ${field === "refund_id" ? "id" : field.replace(/^refund_/, "")} "${value}"`);
      else if (stored && found.id !== stored.id) err(`${path}.${field}`, "Names another refund than the other identifiers");
      else if (!stored) {
        stored = found;
        keyPath = `${path}.${field}`;
      }
    }
    if (!stored) return;
    if (seenRefunds.has(stored.id)) err(keyPath, "This refund is already listed in this payout");
    seenRefunds.add(stored.id);
    if (disagrees(stored.processor))
      err(keyPath, `The refund's processor ${stored.processor ?? "(none)"} disagrees with the payout's processor ${processor}`);
    refundLinks.push({ payout_external_id: p.external_id, refund_id: stored.id, refund_external_id: null, position: j });
    journal.push({ accountId: stored.account_id, debit: stored.refunded_amount, description: `Refund ${stored.external_id ?? stored.id}` });
  });

  const others = p.other_transactions.map((o, k) => {
    const a = account(o.account, `${at}.other_transactions.${k}.account`);
    if (a) journal.push({ accountId: a.id, debit: BigInt(o.amount), description: o.description ?? "Other transaction" });
    return { ...o, account: a ? { type: "AccountId", id: a.id } : o.account };
  });

  if (failed) return undefined;
  const clearingId = clearing?.id ?? chart.stable("UNDEPOSITED_FUNDS").id;
  journal.push(
    { accountId: clearingId, debit: BigInt(p.paid_out_amount), description: "Payout deposit" },
    { accountId: chart.stable("PAYMENT_PROCESSING_FEES").id, debit: BigInt(p.fee), description: "Processor fee" },
    { accountId: refundsAccount, debit: BigInt(p.additional_refunds_amount), description: "Additional refunds" },
  );
  const entryId = newId("journalEntry");
  const planned = planJournal(journal);
  if (planned.imbalance !== 0n) {
    err(
      `${at}.paid_out_amount`,
      `Debits must equal credits: payments - refunds - additional_refunds_amount - fee - other_transactions = ${BigInt(p.paid_out_amount) - planned.imbalance}, not ${p.paid_out_amount}`,
    );
    return undefined;
  }
  const payout = {
    id: newId("ledgerPayout"),
    entry_id: entryId,
    external_id: p.external_id,
    paid_out_amount: p.paid_out_amount,
    fee: p.fee,
    additional_refunds_amount: p.additional_refunds_amount,
    processor,
    clearing_account_id: clearing?.id ?? null,
    completed_at: p.completed_at,
    other_transactions: others,
    tags: p.tags.map((t) => ({
      id: newId("transactionTag"),
      key: t.key,
      value: t.value,
      dimension_id: null,
      definition_id: null,
      dimension_display_name: t.dimension_display_name ?? null,
      value_display_name: t.value_display_name ?? null,
      archived_at: null,
    })),
    memo: p.memo ?? null,
    metadata: p.metadata ?? null,
    reference_number: p.reference_number ?? null,
  };
  const lines = planned.lines.map((l) => ({ id: newId("journalLine"), entry_id: entryId, ...l, amount: l.amount.toString() }));
  return {
    payout,
    newPayments,
    paymentLinks,
    newRefunds,
    refundLinks,
    lines,
    weight: 1 + paymentLinks.length + refundLinks.length + others.length,
  };
}

/** One chunk: every write of its payouts, in one transaction and one round trip. */
async function writeChunk(db: Db, businessId: string, plans: PayoutPlan[], n: number): Promise<void> {
  const payouts = JSON.stringify(plans.map((p) => p.payout));
  const externalIds = jsonList(plans.map((p) => p.payout.external_id as string));
  const newPayments = JSON.stringify(plans.flatMap((p) => p.newPayments));
  const paymentLinks = JSON.stringify(plans.flatMap((p) => p.paymentLinks));
  const newRefunds = JSON.stringify(plans.flatMap((p) => p.newRefunds));
  const refundLinks = JSON.stringify(plans.flatMap((p) => p.refundLinks));
  const lines = JSON.stringify(plans.flatMap((p) => p.lines));
  const ours = sql`SELECT id FROM ledger_payouts WHERE business_id = ${businessId} AND external_id IN (SELECT jsonb_array_elements_text(${externalIds}::jsonb))`;
  const payoutCols =
    sql.raw(`id text, entry_id text, external_id text, paid_out_amount bigint, fee bigint, additional_refunds_amount bigint,
    processor text, clearing_account_id text, completed_at timestamptz, other_transactions jsonb, tags jsonb, memo text,
    metadata jsonb, reference_number text`);
  const statements = [
    // A match no longer fits once its payout's amount, processor or date changes.
    sql`DELETE FROM payout_matches m USING ledger_payouts p, jsonb_to_recordset(${payouts}::jsonb) AS x(${payoutCols})
        WHERE m.payout_id = p.id AND p.business_id = ${businessId} AND p.external_id = x.external_id
          AND (p.paid_out_amount <> x.paid_out_amount OR p.processor IS DISTINCT FROM x.processor OR p.completed_at <> x.completed_at)`,
    sql`/* ledger-payouts chunk ${sql.raw(String(n))} */
        INSERT INTO ledger_payouts AS t (id, business_id, external_id, paid_out_amount, fee, additional_refunds_amount, processor,
          clearing_account_id, completed_at, other_transactions, tags, memo, metadata, reference_number)
        SELECT x.id, ${businessId}, x.external_id, x.paid_out_amount, x.fee, x.additional_refunds_amount, x.processor,
          x.clearing_account_id, x.completed_at, x.other_transactions, x.tags, x.memo, NULLIF(x.metadata, 'null'::jsonb), x.reference_number
        FROM jsonb_to_recordset(${payouts}::jsonb) AS x(${payoutCols})
        -- Rows are locked in key order, so two requests upserting the same payouts cannot deadlock.
        ORDER BY x.external_id
        ON CONFLICT (business_id, external_id) DO UPDATE SET
          paid_out_amount = excluded.paid_out_amount, fee = excluded.fee, additional_refunds_amount = excluded.additional_refunds_amount,
          processor = excluded.processor, clearing_account_id = excluded.clearing_account_id, completed_at = excluded.completed_at,
          other_transactions = excluded.other_transactions, tags = excluded.tags, memo = excluded.memo, metadata = excluded.metadata,
          reference_number = excluded.reference_number, updated_at = now()`,
    sql`DELETE FROM payout_payments WHERE payout_id IN (${ours})`,
    sql`DELETE FROM payout_refunds WHERE payout_id IN (${ours})`,
    // The old entry goes with its lines (ON DELETE CASCADE): an upsert never leaves two.
    sql`DELETE FROM journal_entries WHERE payout_id IN (${ours})`,
    // A new payment comes with its own invoice; a payment that exists already keeps its invoice.
    sql`INSERT INTO invoices (id, business_id, external_id, total_amount)
        SELECT x.invoice_id, ${businessId}, x.invoice_external_id, x.amount
        FROM jsonb_to_recordset(${newPayments}::jsonb) AS x(invoice_id text, invoice_external_id text, external_id text, amount bigint)
        WHERE NOT EXISTS (SELECT 1 FROM invoice_payments ip WHERE ip.business_id = ${businessId} AND ip.external_id = x.external_id)
        ON CONFLICT DO NOTHING`,
    sql`INSERT INTO invoice_payments AS t (id, business_id, external_id, invoice_id, amount, fee, processor, method, completed_at,
          clearing_account_id, memo, metadata, reference_number)
        SELECT x.id, ${businessId}, x.external_id,
          coalesce((SELECT i.id FROM invoices i WHERE i.business_id = ${businessId} AND i.external_id = x.invoice_external_id), x.invoice_id),
          x.amount, x.fee, x.processor, x.method, x.completed_at, x.clearing_account_id, x.memo, NULLIF(x.metadata, 'null'::jsonb), x.reference_number
        FROM jsonb_to_recordset(${newPayments}::jsonb) AS x(id text, invoice_id text, invoice_external_id text, external_id text,
          amount bigint, fee bigint, processor text, method text, completed_at timestamptz, clearing_account_id text, memo text,
          metadata jsonb, reference_number text)
        ORDER BY x.external_id
        ON CONFLICT (business_id, external_id) DO UPDATE SET amount = excluded.amount, fee = excluded.fee, processor = excluded.processor,
          method = excluded.method, completed_at = excluded.completed_at, memo = excluded.memo, metadata = excluded.metadata,
          reference_number = excluded.reference_number, updated_at = now()`,
    sql`INSERT INTO payout_payments (payout_id, payment_id, position)
        SELECT p.id, coalesce(x.payment_id, ip.id), x.position
        FROM jsonb_to_recordset(${paymentLinks}::jsonb) AS x(payout_external_id text, payment_id text, payment_external_id text, position int)
        JOIN ledger_payouts p ON p.business_id = ${businessId} AND p.external_id = x.payout_external_id
        LEFT JOIN invoice_payments ip ON x.payment_id IS NULL AND ip.business_id = ${businessId} AND ip.external_id = x.payment_external_id`,
    sql`INSERT INTO refunds AS t (id, business_id, external_id, refund_payment_id, refund_payment_external_id, refunded_amount, fee,
          processor, method, completed_at, account_id, memo, metadata, reference_number)
        SELECT x.id, ${businessId}, x.external_id, x.refund_payment_id, x.refund_payment_external_id, x.refunded_amount, x.fee,
          x.processor, x.method, x.completed_at, x.account_id, x.memo, NULLIF(x.metadata, 'null'::jsonb), x.reference_number
        FROM jsonb_to_recordset(${newRefunds}::jsonb) AS x(id text, external_id text, refund_payment_id text, refund_payment_external_id text,
          refunded_amount bigint, fee bigint, processor text, method text, completed_at timestamptz, account_id text, memo text,
          metadata jsonb, reference_number text)
        ORDER BY x.external_id
        ON CONFLICT (business_id, external_id) DO UPDATE SET refunded_amount = excluded.refunded_amount, fee = excluded.fee,
          processor = excluded.processor, method = excluded.method, completed_at = excluded.completed_at,
          refund_payment_external_id = coalesce(excluded.refund_payment_external_id, t.refund_payment_external_id),
          memo = excluded.memo, metadata = excluded.metadata, reference_number = excluded.reference_number, updated_at = now()`,
    sql`INSERT INTO payout_refunds (payout_id, refund_id, position)
        SELECT p.id, coalesce(x.refund_id, r.id), x.position
        FROM jsonb_to_recordset(${refundLinks}::jsonb) AS x(payout_external_id text, refund_id text, refund_external_id text, position int)
        JOIN ledger_payouts p ON p.business_id = ${businessId} AND p.external_id = x.payout_external_id
        LEFT JOIN refunds r ON x.refund_id IS NULL AND r.business_id = ${businessId} AND r.external_id = x.refund_external_id`,
    sql`INSERT INTO journal_entries (id, business_id, payout_id)
        SELECT x.entry_id, ${businessId}, p.id
        FROM jsonb_to_recordset(${payouts}::jsonb) AS x(entry_id text, external_id text)
        JOIN ledger_payouts p ON p.business_id = ${businessId} AND p.external_id = x.external_id`,
    sql`INSERT INTO journal_lines (id, entry_id, business_id, account_id, direction, amount, description)
        SELECT x.id, x.entry_id, ${businessId}, x.account_id, x.direction, x.amount, x.description
        FROM jsonb_to_recordset(${lines}::jsonb) AS x(id text, entry_id text, account_id text, direction text, amount bigint, description text)`,
  ];
  await batchRows(db, statements);
}
