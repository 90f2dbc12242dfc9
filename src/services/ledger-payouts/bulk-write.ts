import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PayoutPlan } from "./bulk-types";
import { batchRows, jsonList } from "./sql";

/** One chunk: every write of its payouts, in one transaction and one round trip. */
export async function writeChunk(db: Db, businessId: string, plans: PayoutPlan[], n: number): Promise<void> {
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
