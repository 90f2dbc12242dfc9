import { newId } from "../../lib/ids";
import type { PlanContext, StoredRefund } from "./bulk-types";

/**
 * A payout's refunds: the new ones to create, the links to them and to existing ones, and their
 * journal lines (appended to ctx.journal). A refund created here is booked to `refundsAccount`
 * unless it exists already (a retry), which keeps its account. Problems go to ctx.err.
 */
export function planRefunds({ p, at, r, processor, journal, err, disagrees }: PlanContext, refundsAccount: string) {
  const newRefunds: Record<string, unknown>[] = [];
  const refundLinks: Record<string, unknown>[] = [];
  const seenRefunds = new Set<string>();
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
  return { newRefunds, refundLinks };
}
