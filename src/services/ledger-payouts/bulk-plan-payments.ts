import { newId } from "../../lib/ids";
import type { PlanContext } from "./bulk-types";

/**
 * A payout's payments: the new ones to create, the links to them and to existing ones, and their
 * journal lines (appended to ctx.journal). Problems go to ctx.err.
 */
export function planPayments({ p, at, r, processor, journal, err, disagrees }: PlanContext) {
  const { chart } = r;
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
  return { newPayments, paymentLinks };
}
