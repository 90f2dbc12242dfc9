import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type AccountRow, Chart, ensuredAccountsQuery } from "./accounts";
import type { PayoutIn, Resolved, StoredPayment, StoredRefund } from "./bulk-types";
import { batchRows, jsonList } from "./sql";

/** One round trip: the chart (created if missing) and every payment and refund the request names. */
export async function resolve(db: Db, businessId: string, payouts: PayoutIn[]): Promise<Resolved> {
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
