import { type SQL, sql } from "drizzle-orm";
import { isoText } from "./sql";

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
