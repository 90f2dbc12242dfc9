import type { ErrorCode } from "../http/errors";
import { newId } from "../lib/ids";
import type { LedgerState } from "../services/payout-users/allocations";
import type { InitiationContext, PayoutInput, PayoutRecord } from "../services/payouts/initiate";
import { belowThreshold } from "../services/payouts/money";
import type { AllocationOutcome, AllocationRequest, LedgerPayout, PayoutInitiationRequest, PayoutOutcome } from "./types";

// What the BalanceLedger decides, without touching the database: which queued allocations and
// payouts go, in arrival order against the running balances, and the refusals it answers with.

/** `call` numbers the ledger call an item came with: one call's items are never split across groups. */
export interface Pending {
  kind: "allocation";
  request: AllocationRequest;
  resolve(outcome: AllocationOutcome): void;
  call: number;
}

export interface PendingPayout {
  kind: "payout";
  request: PayoutInitiationRequest;
  resolve(outcome: PayoutOutcome): void;
  call: number;
}

export type Queued = Pending | PendingPayout;

/** A refusal fits both an allocation's and a payout's outcome. */
export type Refusal = { ok: false; code: ErrorCode; message: string };

export const retryable = (message: string): Refusal => ({ ok: false, code: "service_unavailable", message });

/** Decides a group of allocations in arrival order against the running balance. */
export function decideAllocations(group: Pending[], state: LedgerState) {
  let running = state.balance;
  const accepted: Pending[] = [];
  const rejected: [Pending, AllocationOutcome][] = [];
  for (const p of group) {
    const amount = BigInt(p.request.amount);
    if (!state.payoutsEnabled) rejected.push([p, payoutsDisabled()]);
    else if (amount > running) {
      rejected.push([p, { ok: false, code: "insufficient_balance", message: "The business payout balance cannot cover this amount." }]);
    } else {
      running -= amount;
      accepted.push(p);
    }
  }
  return { accepted, rejected };
}

export const insufficient = (message: string) => ({ ok: false as const, code: "insufficient_balance" as const, message });

/** Why this payout may not go, or undefined when it may; checks in the order the README lists them. */
export function refusePayout(
  r: PayoutInitiationRequest,
  amount: bigint,
  ctx: InitiationContext,
  refsTaken: Set<string>,
  businessBalance: bigint,
  userBalances: Map<string, bigint>,
): PayoutOutcome | undefined {
  const wrongCurrency = (whose: string): PayoutOutcome => ({
    ok: false,
    code: "validation_error",
    message: `The payout's currency must be ${whose} currency.`,
    fields: { "initiation.amount.currency": [`Must be ${ctx.currency}, ${whose} currency`] },
  });
  if (r.currency !== ctx.currency) return wrongCurrency("the business's");
  if (!ctx.payoutsEnabled) return payoutsDisabled();
  if (refsTaken.has(r.refId)) return duplicateRefId(r.refId);
  if (r.payeeId) {
    const payee = ctx.payees.get(r.payeeId);
    if (!payee)
      return {
        ok: false,
        code: "not_found",
        message: `No payee with id "${r.payeeId}".`,
        fields: { "initiation.payeeId": ["No such payee"] },
      };
    if (payee.holdStatus === "on_hold") {
      return { ok: false, code: "payee_on_hold", message: `The payee is on hold: ${payee.holdReason ?? "no reason was given"}.` };
    }
    if (payee.status !== "active") return { ok: false, code: "payee_inactive", message: `The payee is ${payee.status}, not active.` };
    if (payee.threshold !== null && belowThreshold(amount, r.currency, payee.threshold)) {
      return {
        ok: false,
        code: "below_minimum_payout_threshold",
        message: `The amount is below the payee's minimum payout threshold of ${payee.threshold} ${r.currency}.`,
        fields: { "initiation.amount.value": [`Must be at least ${payee.threshold}`] },
      };
    }
  }
  if (r.payoutUserId) {
    const user = ctx.users.get(r.payoutUserId);
    if (!user) {
      return {
        ok: false,
        code: "not_found",
        message: `No payout user with id "${r.payoutUserId}".`,
        fields: { "initiation.payoutUserId": ["No such payout user"] },
      };
    }
    if (user.currency !== r.currency) return wrongCurrency("the payout user's");
    if (amount > userBalances.get(r.payoutUserId)!) return insufficient("The payout user's balance cannot cover this amount.");
  } else if (amount > businessBalance) return insufficient("The business payout balance cannot cover this amount.");
  return undefined;
}

export const duplicateRefId = (refId: string): PayoutOutcome => ({
  ok: false,
  code: "duplicate_ref_id",
  message: `A payout with refId "${refId}" already exists.`,
  fields: { "initiation.refId": ["Already used"] },
});

export interface Decided {
  allocs: Pending[];
  pays: PendingPayout[];
  refused: [Queued, Refusal | PayoutOutcome][];
}

/** Decides a group in arrival order against the running balances; resolves nothing itself. */
export function decideGroup(group: Queued[], ctx: InitiationContext): Decided {
  let running = ctx.balance;
  const userBalances = new Map([...ctx.users].map(([id, u]) => [id, u.balance]));
  const userIdByEmail = new Map([...ctx.users].map(([id, u]) => [u.email, id]));
  const refsTaken = new Set(ctx.existingRefIds);
  const decided: Decided = { allocs: [], pays: [], refused: [] };
  for (const q of group) {
    const amount = BigInt(q.request.amount);
    if (q.kind === "allocation") {
      if (!ctx.payoutsEnabled) decided.refused.push([q, payoutsDisabled()]);
      else if (amount > running) decided.refused.push([q, insufficient("The business payout balance cannot cover this amount.")]);
      else {
        running -= amount;
        decided.allocs.push(q);
        // Allocations are written before payouts, so a payout later in the group may use this top-up.
        const userId = userIdByEmail.get(q.request.email);
        if (userId) userBalances.set(userId, userBalances.get(userId)! + amount);
      }
      continue;
    }
    const refusal = refusePayout(q.request, amount, ctx, refsTaken, running, userBalances);
    if (refusal) {
      decided.refused.push([q, refusal]);
      continue;
    }
    refsTaken.add(q.request.refId);
    if (q.request.payoutUserId) userBalances.set(q.request.payoutUserId, userBalances.get(q.request.payoutUserId)! - amount);
    else running -= amount;
    decided.pays.push(q);
  }
  return decided;
}

export function toPayoutInput(r: PayoutInitiationRequest, ord: number): PayoutInput {
  return {
    ord,
    id: newId("payout"),
    statusId: newId("payoutStatus"),
    txId: newId("payoutUserTransaction"),
    refId: r.refId,
    amount: BigInt(r.amount),
    currency: r.currency,
    localInstrument: r.localInstrument,
    creditor: r.creditor,
    initiation: r.initiation,
    onBehalfOfId: r.onBehalfOfId,
    payeeId: r.payeeId,
    payoutUserId: r.payoutUserId,
    rail: r.rail,
  };
}

export const toLedgerPayout = (p: PayoutRecord): LedgerPayout => ({ ...p, amount: Number(p.amount) });

export const payoutsDisabled = (): Refusal => ({
  ok: false,
  code: "payouts_disabled",
  message: "Payouts are not enabled for this business.",
});
