import type { Db } from "../db/client";
import { logError } from "../lib/log-error";
import {
  type AllocationInput,
  type AllocationResult,
  findAllocationsByTxIds,
  type GroupCommitResult,
} from "../services/payout-users/allocations";
import { findPayoutsByIds, type PayoutInput, type PayoutRecord } from "../services/payouts/initiate";

/**
 * A failed write may still have committed (the answer was lost on the way back). The ledger looks
 * for the group's rows before telling anyone to retry, so that a retry, even one without an
 * Idempotency-Key, cannot allocate or pay twice. Each function answers undefined when nothing was
 * written or the database cannot tell.
 */

/** The allocations of a group whose write failed, if it committed. */
export async function recoverAllocations(db: Db, businessId: string, inputs: AllocationInput[]): Promise<AllocationResult[] | undefined> {
  try {
    const stored = await findAllocationsByTxIds(
      db,
      businessId,
      inputs.map((i) => i.txId),
    );
    if (!stored.length) return undefined;
    const ordOf = new Map(inputs.map((i) => [i.txId, i.ord]));
    return stored.map((s) => ({ ...s, ord: ordOf.get(s.txId)! }));
  } catch (err) {
    logError("ledger: could not tell whether the failed write committed", err);
    return undefined;
  }
}

export interface RecoveredMixed {
  allocated?: GroupCommitResult;
  paid: PayoutRecord[];
  payOrds: number[];
}

/** As recoverAllocations, for a group with payouts: its rows are all there (one transaction) or none is. */
export async function recoverMixed(
  db: Db,
  businessId: string,
  allocInputs: AllocationInput[],
  payInputs: PayoutInput[],
): Promise<RecoveredMixed | undefined> {
  try {
    const [allocs, payouts] = await Promise.all([
      allocInputs.length
        ? findAllocationsByTxIds(
            db,
            businessId,
            allocInputs.map((i) => i.txId),
          )
        : [],
      payInputs.length
        ? findPayoutsByIds(
            db,
            businessId,
            payInputs.map((i) => i.id),
          )
        : [],
    ]);
    if (!allocs.length && !payouts.length) return undefined;
    const allocOrd = new Map(allocInputs.map((i) => [i.txId, i.ord]));
    const payOrd = new Map(payInputs.map((i) => [i.id, i.ord]));
    return {
      allocated: allocInputs.length
        ? { debited: true, businessBalance: 0n, results: allocs.map((s) => ({ ...s, ord: allocOrd.get(s.txId)! })) }
        : undefined,
      paid: payouts,
      payOrds: payouts.map((p) => payOrd.get(p.id)!),
    };
  } catch (err) {
    logError("ledger: could not tell whether the failed write committed", err);
    return undefined;
  }
}
