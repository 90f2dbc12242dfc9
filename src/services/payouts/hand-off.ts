import { type SQL, sql } from "drizzle-orm";

/**
 * The hook for the payout lifecycle (issue 10): extra CTEs written in the SAME statement that
 * holds a group of payouts' funds, so a committed payout always has its hand-off record (an outbox
 * row, say) and a lost hand-off can be found by the cron.
 *
 * Return `sql`, more CTEs`` (note the leading comma) that read the CTE `inserted`, whose rows are
 * the new payouts (every column of `payouts`). The default is no extra CTE: a payout's
 * `INITIATION_PENDING` status is then the pending hand-off itself.
 */
export function handOffCtes(_businessId: string): SQL {
  return sql``;
}
