import { newId } from "../../lib/ids";
import type { AccountIdentifier } from "./accounts";
import { planPayments } from "./bulk-plan-payments";
import { planRefunds } from "./bulk-plan-refunds";
import type { PayoutIn, PayoutPlan, PlanContext, Resolved } from "./bulk-types";
import { type LineInput, planJournal } from "./journal";

/** Plans one payout's writes (see PayoutPlan), or reports its problems through `fail` and returns undefined. */
export function planPayout(p: PayoutIn, at: string, r: Resolved, fail: (path: string, message: string) => void): PayoutPlan | undefined {
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

  const ctx: PlanContext = { p, at, r, processor, journal, err, disagrees };
  const { newPayments, paymentLinks } = planPayments(ctx);

  const refundsAccount = chart.stable("REFUNDS").id;
  const { newRefunds, refundLinks } = planRefunds(ctx, refundsAccount);

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
