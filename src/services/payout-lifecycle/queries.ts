import { sql } from "drizzle-orm";
import type { PayoutStatus } from "../../../schema/payouts";
import type { Db } from "../../db/client";

export interface SubmittablePayout {
  id: string;
  businessId: string;
  refId: string;
  status: PayoutStatus;
  submitted: boolean;
  amount: number;
  currency: string;
  localInstrument: string;
  creditor: Record<string, unknown>;
  remittance: string | undefined;
  rail: string;
}

/** The payouts a queue delivery names, in one round trip. */
export async function loadForSubmission(db: Db, payoutIds: string[]): Promise<Map<string, SubmittablePayout>> {
  const { rows } = await db.execute<{
    id: string;
    business_id: string;
    ref_id: string;
    status: PayoutStatus;
    submitted: boolean;
    amount: string;
    currency: string;
    local_instrument: string;
    creditor: Record<string, unknown>;
    remittance: string | null;
    rail: string;
  }>(sql`
    SELECT id, business_id, ref_id, status, submitted_at IS NOT NULL AS submitted, amount, currency, local_instrument,
           creditor, initiation->>'remittanceInformationPrimary' AS remittance, rail
    FROM payouts WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(payoutIds)}::jsonb))`);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        businessId: r.business_id,
        refId: r.ref_id,
        status: r.status,
        submitted: r.submitted,
        amount: Number(r.amount),
        currency: r.currency,
        localInstrument: r.local_instrument,
        creditor: r.creditor,
        remittance: r.remittance ?? undefined,
        rail: r.rail,
      },
    ]),
  );
}

/** Records that the rail took these payouts, so the cron does not hand them over again. */
export async function markSubmitted(db: Db, payoutIds: string[]): Promise<void> {
  await db.execute(sql`
    UPDATE payouts SET submitted_at = now()
    WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(payoutIds)}::jsonb)) AND submitted_at IS NULL`);
}

/**
 * Payouts still PENDING and never taken by the rail `graceSeconds` after they were written (or last
 * re-handed): their hand-off was lost. Claims them in the same statement (`rehanded_at`), so
 * overlapping cron runs do not both re-hand one, and a re-handed payout waits another grace period.
 */
export async function claimLostHandOffs(
  db: Db,
  graceSeconds: number,
  limit: number,
  businessId?: string,
): Promise<{ businessId: string; payoutId: string }[]> {
  const { rows } = await db.execute<{ id: string; business_id: string }>(sql`
    UPDATE payouts p SET rehanded_at = now()
    FROM (
      SELECT id FROM payouts
      WHERE status = 'INITIATION_PENDING' AND submitted_at IS NULL
        AND created_at < now() - make_interval(secs => ${graceSeconds})
        AND (rehanded_at IS NULL OR rehanded_at < now() - make_interval(secs => ${graceSeconds}))
        AND (${businessId ?? null}::text IS NULL OR business_id = ${businessId ?? null})
      ORDER BY created_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) lost
    WHERE p.id = lost.id
    RETURNING p.id, p.business_id`);
  return rows.map((r) => ({ businessId: r.business_id, payoutId: r.id }));
}
