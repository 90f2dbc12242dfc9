import type { PayoutStatus } from "../../../schema/payouts";

/**
 * PENDING → PROCESSING → COMPLETED | REJECTED | FAILED, read as ranks: an event may only move a
 * payout forward. Skipping a rank is allowed (PENDING → REJECTED as the issue says, and a final
 * status that a reordering rail delivers before PROCESSING), so a late PROCESSING after a final
 * status is the backwards move that is recorded and ignored.
 */
const rank: Record<PayoutStatus, number> = {
  INITIATION_PENDING: 0,
  INITIATION_PROCESSING: 1,
  INITIATION_COMPLETED: 2,
  INITIATION_REJECTED: 2,
  INITIATION_FAILED: 2,
};

export const finalStatuses: readonly PayoutStatus[] = ["INITIATION_COMPLETED", "INITIATION_REJECTED", "INITIATION_FAILED"];

/** The statuses a payout may be in for an event to move it to `to`. */
export function movesInto(to: PayoutStatus): PayoutStatus[] {
  return (Object.keys(rank) as PayoutStatus[]).filter((from) => rank[from] < rank[to]);
}

export function canMove(from: PayoutStatus, to: PayoutStatus): boolean {
  return rank[from] < rank[to];
}

/** Statuses that give the held amount back to where it came from. */
export function isReversal(status: PayoutStatus): boolean {
  return status === "INITIATION_REJECTED" || status === "INITIATION_FAILED";
}
