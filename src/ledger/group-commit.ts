import type { Db } from "../db/client";
import { logError } from "../lib/log-error";
import {
  type AllocationResult,
  commitAllocations,
  type GroupCommitResult,
  type LedgerState,
  loadLedgerState,
} from "../services/payout-users/allocations";
import { commitGroup, loadInitiationContext, type PayoutRecord, toPayoutRecord } from "../services/payouts/initiate";
import { type KnownUser, toOutcome } from "./allocation-outcomes";
import {
  type Decided,
  decideAllocations,
  decideGroup,
  duplicateRefId,
  type Pending,
  type PendingPayout,
  payoutsDisabled,
  type Queued,
  type Refusal,
  retryable,
  toLedgerPayout,
  toPayoutInput,
} from "./decisions";
import { recoverAllocations, recoverMixed } from "./recovery";
import type { PayoutOutcome } from "./types";
import type { UserCache } from "./user-cache";

// The two group commits of a BalanceLedger: a group taken off its queue is decided in arrival
// order against the running balance and the accepted part written in one round trip. Every
// request in the group is answered exactly once, whatever fails.

/** What a group commit reads and updates of its ledger. */
export interface LedgerView {
  readonly businessId: string;
  readonly users: UserCache;
  /** The cached balance; dropped (undefined) whenever it may be wrong, and reloaded from SQL. */
  state: LedgerState | undefined;
  db(): Db;
}

/** A group of allocations only. */
export async function commitAllocationGroup(view: LedgerView, group: Pending[]): Promise<void> {
  const db = view.db();
  let decided;
  try {
    view.state ??= await load(view, db);
    decided = decideAllocations(group, view.state);
    // Funds added or payouts switched on outside the ledger (the admin CLI): look again before
    // turning anyone away.
    if (decided.rejected.length) {
      view.state = await load(view, db);
      decided = decideAllocations(group, view.state);
    }
  } catch (err) {
    logError("ledger: could not load the balance", err);
    view.state = undefined;
    for (const p of group) p.resolve(retryable("The allocation was not made; retry the request."));
    return;
  }
  for (const [p, outcome] of decided.rejected) p.resolve(outcome);
  if (!decided.accepted.length) return;

  const fresh = new Map<string, KnownUser>();
  const inputs = await Promise.all(decided.accepted.map((p, ord) => view.users.input(p.request, ord, fresh)));
  let results: AllocationResult[];
  try {
    const written = await commitAllocations(db, view.businessId, inputs);
    if (!written.debited) {
      // Payouts were switched off in the database since the ledger last looked.
      view.state = undefined;
      for (const p of decided.accepted) p.resolve(payoutsDisabled());
      return;
    }
    // Unless fund() dropped the view meanwhile, the debit's answer is the balance now.
    if (view.state) view.state = { ...view.state, balance: written.businessBalance };
    results = written.results;
  } catch (err) {
    logError("ledger: group commit failed", err);
    view.state = undefined;
    const recovered = await recoverAllocations(db, view.businessId, inputs);
    if (!recovered) {
      for (const p of decided.accepted) p.resolve(retryable("The allocation was not made; retry the request."));
      return;
    }
    results = recovered;
  }
  await resolveAllocations(view.users, decided.accepted, results, fresh);
}

/**
 * A group with payouts, decided in arrival order against the running balances, the accepted ones
 * written in one round trip (commitGroup: allocations and payouts in one transaction).
 *
 * Payouts from the business balance need only the balance the ledger already holds (the write
 * itself leaves out refIds already used). A payee or a payout user must be read fresh, so a group
 * with one starts with one read of everything it depends on; so does a group decided on a cached
 * view that refused anything (funds may have been added outside the ledger).
 */
export async function commitMixedGroup(view: LedgerView, group: Queued[]): Promise<void> {
  const db = view.db();
  const payoutsIn = group.filter((q): q is PendingPayout => q.kind === "payout");
  const needsRead = payoutsIn.some((p) => p.request.payeeId || p.request.payoutUserId);
  let decided: Decided | undefined;
  try {
    if (!needsRead && view.state?.payoutsEnabled) {
      decided = decideGroup(group, { ...view.state, existingRefIds: new Set(), payees: new Map(), users: new Map() });
      if (decided.refused.length) decided = undefined;
    }
    if (!decided) {
      const ctx = await loadInitiationContext(db, view.businessId, {
        refIds: payoutsIn.map((p) => p.request.refId),
        payeeIds: payoutsIn.flatMap((p) => (p.request.payeeId ? [p.request.payeeId] : [])),
        userIds: payoutsIn.flatMap((p) => (p.request.payoutUserId ? [p.request.payoutUserId] : [])),
      });
      if (!ctx) throw new Error(`business ${view.businessId} does not exist`);
      view.state = { balance: ctx.balance, currency: ctx.currency, payoutsEnabled: ctx.payoutsEnabled };
      decided = decideGroup(group, ctx);
    }
  } catch (err) {
    logError("ledger: could not load the balances", err);
    view.state = undefined;
    for (const q of group) q.resolve(retryable("Nothing was written; retry the request."));
    return;
  }
  // A refusal of an allocation is always a Refusal, which fits both kinds of outcome.
  for (const [q, outcome] of decided.refused) (q.resolve as (o: Refusal | PayoutOutcome) => void)(outcome);
  const { allocs, pays } = decided;
  if (!allocs.length && !pays.length) return;

  const fresh = new Map<string, KnownUser>();
  const allocInputs = await Promise.all(allocs.map((p, ord) => view.users.input(p.request, ord, fresh)));
  const payInputs = pays.map((p, ord) => toPayoutInput(p.request, ord));
  let allocated: GroupCommitResult | undefined;
  let paid: PayoutRecord[] = [];
  let payOrds: number[] = [];
  let duplicates: number[] = [];
  try {
    const committed = await commitGroup(db, view.businessId, allocInputs, payInputs);
    allocated = committed.allocated;
    const payRows = committed.payRows;
    // Both statements are guarded by payouts_enabled in one transaction: nothing written means it is off.
    if ((allocated && !allocated.debited) || (payRows.length && !payRows[0]!.debited)) {
      view.state = undefined;
      for (const q of [...allocs, ...pays]) q.resolve(payoutsDisabled());
      return;
    }
    const balance = payRows.length ? BigInt(payRows[0]!.business_balance!) : allocated!.businessBalance;
    if (view.state) view.state = { ...view.state, balance };
    const written = payRows.filter((r) => r.id !== null);
    paid = written.map(toPayoutRecord);
    payOrds = written.map((r) => r.ord);
    duplicates = payRows.filter((r) => r.duplicate).map((r) => r.ord);
  } catch (err) {
    logError("ledger: group commit with payouts failed", err);
    view.state = undefined;
    const recovered = await recoverMixed(db, view.businessId, allocInputs, payInputs);
    if (!recovered) {
      for (const q of [...allocs, ...pays]) q.resolve(retryable("Nothing was written; retry the request."));
      return;
    }
    allocated = recovered.allocated;
    paid = recovered.paid;
    payOrds = recovered.payOrds;
  }
  if (allocated) await resolveAllocations(view.users, allocs, allocated.results, fresh);
  const done = new Set<number>();
  paid.forEach((record, i) => {
    done.add(payOrds[i]!);
    pays[payOrds[i]!]!.resolve({ ok: true, payout: toLedgerPayout(record) });
  });
  for (const ord of duplicates) {
    done.add(ord);
    pays[ord]!.resolve(duplicateRefId(pays[ord]!.request.refId));
  }
  // Cannot happen while the context read holds (a payout user of another business is never accepted);
  // after a recovered write it is a duplicate left out, which a retry reports as such.
  pays.forEach((p, ord) => done.has(ord) || p.resolve(retryable("The payout was not written; retry the request.")));
}

async function resolveAllocations(
  users: UserCache,
  accepted: Pending[],
  results: AllocationResult[],
  fresh: Map<string, KnownUser>,
): Promise<void> {
  for (const r of results) accepted[r.ord]!.resolve(toOutcome(r, await users.written(r.user.email, r.user.id, fresh)));
}

async function load(view: LedgerView, db: Db): Promise<LedgerState> {
  const state = await loadLedgerState(db, view.businessId);
  if (!state) throw new Error(`business ${view.businessId} does not exist`);
  return state;
}
