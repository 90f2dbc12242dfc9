import type { PayoutIn } from "./bulk-types";

/** Rules that need no database: unique keys inside the request. */
export function checkWithinRequest(records: { index: number; value: PayoutIn }[], fail: (path: string, message: string) => void) {
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
