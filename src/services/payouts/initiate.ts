import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { toIso } from "../../db/values";
import {
  type AllocationInput,
  type AllocationRow,
  allocationResults,
  allocationsStatement,
  commitAllocations,
  type GroupCommitResult,
} from "../payout-users/allocations";
import { handOffCtes } from "./hand-off";

/** What the BalanceLedger needs to decide a group of initiations, read fresh in one statement. */
export interface InitiationContext {
  balance: bigint;
  currency: string;
  payoutsEnabled: boolean;
  /** Which of the group's refIds the business already used. */
  existingRefIds: Set<string>;
  payees: Map<string, { status: string; holdStatus: string; holdReason: string | null; threshold: string | null }>;
  users: Map<string, { email: string; balance: bigint; currency: string }>;
}

const jsonList = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);

export async function loadInitiationContext(
  db: Db,
  businessId: string,
  group: { refIds: string[]; payeeIds: string[]; userIds: string[] },
): Promise<InitiationContext | undefined> {
  type Row = { payout_balance: string; currency: string; payouts_enabled: boolean; refs: unknown; payees: unknown; users: unknown };
  const { rows } = await db.execute<Row>(sql`
    SELECT b.payout_balance, b.currency, b.payouts_enabled,
      (SELECT coalesce(jsonb_agg(p.ref_id), '[]'::jsonb) FROM payouts p
        WHERE p.business_id = b.id AND p.ref_id = ANY(ARRAY(SELECT jsonb_array_elements_text(${jsonList(group.refIds)}::jsonb)))) AS refs,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', y.id, 'status', y.status, 'hold_status', y.hold_status,
                'hold_reason', y.hold_reason, 'threshold', y.minimum_payout_threshold::text)), '[]'::jsonb) FROM payees y
        WHERE y.business_id = b.id AND y.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${jsonList(group.payeeIds)}::jsonb)))) AS payees,
      (SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'email', u.email, 'balance', u.balance::text, 'currency', u.currency)), '[]'::jsonb)
        FROM payout_users u
        WHERE u.business_id = b.id AND u.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${jsonList(group.userIds)}::jsonb)))) AS users
    FROM businesses b WHERE b.id = ${businessId}`);
  const r = rows[0];
  if (!r) return undefined;
  const refs = parseJson<string[]>(r.refs);
  const payees = parseJson<{ id: string; status: string; hold_status: string; hold_reason: string | null; threshold: string | null }[]>(
    r.payees,
  );
  const users = parseJson<{ id: string; email: string; balance: string; currency: string }[]>(r.users);
  return {
    balance: BigInt(r.payout_balance),
    currency: r.currency,
    payoutsEnabled: r.payouts_enabled,
    existingRefIds: new Set(refs),
    payees: new Map(
      payees.map((p) => [p.id, { status: p.status, holdStatus: p.hold_status, holdReason: p.hold_reason, threshold: p.threshold }]),
    ),
    users: new Map(users.map((u) => [u.id, { email: u.email, balance: BigInt(u.balance), currency: u.currency }])),
  };
}

function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** One accepted initiation as the BalanceLedger hands it to the database. */
export interface PayoutInput {
  ord: number;
  id: string;
  statusId: string;
  /** The payout-user history row's id (used only when a payout user is the source). */
  txId: string;
  refId: string;
  amount: bigint;
  currency: string;
  localInstrument: string;
  creditor: Record<string, unknown>;
  initiation: Record<string, unknown>;
  onBehalfOfId: string | null;
  payeeId: string | null;
  payoutUserId: string | null;
  rail: string;
}

/** A payout as the database holds it, in the shape the API presents. */
export interface PayoutRecord {
  id: string;
  refId: string;
  status: string;
  statusReasonInformation: string | null;
  amount: bigint;
  currency: string;
  initiation: Record<string, unknown>;
  payoutUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type PayoutRow = {
  id: string;
  ref_id: string;
  status: string;
  status_reason_information: string | null;
  amount: string;
  currency: string;
  initiation: unknown;
  payout_user_id: string | null;
  created_at: unknown;
  updated_at: unknown;
};

/** What the API shows of a payout (Token.io's `Payout`); a list reads only these columns. */
export type PayoutView = Pick<PayoutRecord, "id" | "status" | "statusReasonInformation" | "initiation" | "createdAt" | "updatedAt">;
export type PayoutViewRow = Pick<PayoutRow, "id" | "status" | "status_reason_information" | "initiation" | "created_at" | "updated_at">;

export const toPayoutView = (r: PayoutViewRow): PayoutView => ({
  id: r.id,
  status: r.status,
  statusReasonInformation: r.status_reason_information,
  initiation: parseJson(r.initiation),
  createdAt: toIso(r.created_at),
  updatedAt: toIso(r.updated_at),
});

export const toPayoutRecord = (r: PayoutRow): PayoutRecord => ({
  ...toPayoutView(r),
  refId: r.ref_id,
  amount: BigInt(r.amount),
  currency: r.currency,
  payoutUserId: r.payout_user_id,
});

/**
 * ONE statement that holds a group of payouts' funds: the business debit (guarded by
 * `payouts_enabled` and the balance CHECK; payouts from a payout user debit only that user, whose
 * CHECK guards it in turn), each payout row, its first status, a history row on the paying user,
 * and the lifecycle's hand-off CTEs. Every insert joins `debit`, so nothing is written unless the
 * debit was. A `refId` the business already used is left out (and not debited), so a group needs
 * no read to find duplicates. One row per input comes back, ordered by `ord`: the payout when written
 * (`id` NULL otherwise), `duplicate`, `debited` (false: payouts are disabled) and `business_balance`.
 */
export function payoutsStatement(businessId: string, inputs: PayoutInput[]): SQL {
  const json = JSON.stringify(
    inputs.map((i) => ({
      ord: i.ord,
      id: i.id,
      status_id: i.statusId,
      tx_id: i.txId,
      ref_id: i.refId,
      amount: i.amount.toString(),
      currency: i.currency,
      local_instrument: i.localInstrument,
      creditor: i.creditor,
      initiation: i.initiation,
      on_behalf_of_id: i.onBehalfOfId,
      payee_id: i.payeeId,
      payout_user_id: i.payoutUserId,
      rail: i.rail,
    })),
  );
  return sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS i(ord int, id text, status_id text, tx_id text, ref_id text,
        amount bigint, currency text, local_instrument text, creditor jsonb, initiation jsonb, on_behalf_of_id text,
        payee_id text, payout_user_id text, rail text)
    ), fresh AS (
      -- A refId the business already used is not written and not debited: it answers duplicate_ref_id.
      SELECT i.* FROM input i
      WHERE NOT EXISTS (SELECT 1 FROM payouts p WHERE p.business_id = ${businessId} AND p.ref_id = i.ref_id)
    ), debit AS (
      UPDATE businesses
      SET payout_balance = payout_balance - (SELECT coalesce(sum(amount), 0) FROM fresh WHERE payout_user_id IS NULL),
          updated_at = now()
      WHERE id = ${businessId} AND payouts_enabled
      RETURNING payout_balance
    ), per_user AS (
      SELECT payout_user_id, sum(amount) AS total FROM fresh WHERE payout_user_id IS NOT NULL GROUP BY payout_user_id
    ), user_debit AS (
      UPDATE payout_users u SET balance = u.balance - pu.total, updated_at = now()
      FROM per_user pu, debit
      WHERE u.id = pu.payout_user_id AND u.business_id = ${businessId}
      RETURNING u.id, u.balance
    ), inserted AS (
      INSERT INTO payouts (id, business_id, ref_id, status, amount, currency, local_instrument, creditor, initiation,
                           on_behalf_of_id, payee_id, payout_user_id, rail)
      SELECT i.id, ${businessId}, i.ref_id, 'INITIATION_PENDING', i.amount, i.currency, i.local_instrument, i.creditor,
             i.initiation, i.on_behalf_of_id, i.payee_id, i.payout_user_id, i.rail
      FROM fresh i CROSS JOIN debit LEFT JOIN user_debit ud ON ud.id = i.payout_user_id
      -- A payout whose user was not debited (not this business's) is not written either.
      WHERE i.payout_user_id IS NULL OR ud.id IS NOT NULL
      RETURNING *
    ), history AS (
      INSERT INTO payout_status_history (id, business_id, payout_id, status)
      SELECT i.status_id, ${businessId}, p.id, p.status FROM fresh i JOIN inserted p ON p.id = i.id
    ), user_history AS (
      INSERT INTO payout_user_transactions (id, business_id, payout_user_id, type, amount, balance_after, currency, payout_id)
      SELECT i.tx_id, ${businessId}, i.payout_user_id, 'payout', -i.amount,
             ud.balance + pu.total - sum(i.amount) OVER (PARTITION BY i.payout_user_id ORDER BY i.ord),
             i.currency, i.id
      FROM fresh i JOIN per_user pu ON pu.payout_user_id = i.payout_user_id JOIN user_debit ud ON ud.id = i.payout_user_id
    )${handOffCtes(businessId)}
    SELECT i.ord, p.id, p.ref_id, p.status, p.status_reason_information, p.amount, p.currency, p.initiation,
           p.payout_user_id, p.created_at, p.updated_at, (SELECT payout_balance FROM debit) AS business_balance,
           EXISTS (SELECT 1 FROM debit) AS debited, NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = i.id) AS duplicate
    FROM input i LEFT JOIN inserted p ON p.id = i.id
    ORDER BY i.ord`;
}

export type CommittedPayoutRow = PayoutRow & { ord: number; business_balance: string | null; debited: boolean; duplicate: boolean };

export async function commitPayouts(db: Db, businessId: string, inputs: PayoutInput[]) {
  const { rows } = await db.execute<CommittedPayoutRow>(payoutsStatement(businessId, inputs));
  return rows;
}

/**
 * One group commit of allocations and payouts, in one round trip. Both kinds present: two
 * statements of one `db.batch` (one transaction), because one statement cannot update the business
 * row twice. Both are guarded by payouts_enabled: nothing debited means payouts are off.
 */
export async function commitGroup(
  db: Db,
  businessId: string,
  allocInputs: AllocationInput[],
  payInputs: PayoutInput[],
): Promise<{ allocated?: GroupCommitResult; payRows: CommittedPayoutRow[] }> {
  if (allocInputs.length && payInputs.length) {
    const [a, b] = await db.batch([
      db.execute<AllocationRow>(allocationsStatement(businessId, allocInputs)),
      db.execute<CommittedPayoutRow>(payoutsStatement(businessId, payInputs)),
    ]);
    return { allocated: allocationResults(a.rows, allocInputs), payRows: b.rows };
  }
  if (allocInputs.length) return { allocated: await commitAllocations(db, businessId, allocInputs), payRows: [] };
  return { payRows: await commitPayouts(db, businessId, payInputs) };
}

const payoutColumns = sql`p.id, p.ref_id, p.status, p.status_reason_information, p.amount, p.currency, p.initiation,
  p.payout_user_id, p.created_at, p.updated_at`;

/** After a write whose answer was lost: the group's payouts, if the statement committed. */
export async function findPayoutsByIds(db: Db, businessId: string, ids: string[]): Promise<PayoutRecord[]> {
  const { rows } = await db.execute<PayoutRow>(sql`
    SELECT ${payoutColumns} FROM payouts p
    WHERE p.business_id = ${businessId} AND p.id = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`);
  return rows.map(toPayoutRecord);
}
