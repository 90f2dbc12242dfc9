import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { isoSql, rowColumns, toRow } from "./columns";
import type { Claims, Desired, PayoutRequestRow } from "./types";

/** Why the statement refused a PUT; `detail` names the field, allocation or state involved. */
export type Refusal =
  | { problem: "precondition_failed" }
  | { problem: "server_owned"; fields: string[] }
  | { problem: "canceled_final"; to: string }
  | { problem: "amount_locked"; fields: string[] }
  | { problem: "approved_locked"; transactionId: string }
  | { problem: "blocked_new_allocation"; transactionId: string }
  | { problem: "blocked_fulfill" };

export type PutOutcome =
  | { kind: "created" | "updated" | "unchanged"; row: PayoutRequestRow }
  /** `row` is the request as it stands (absent when there is none), for the ETag. */
  | { kind: "refused"; refusal: Refusal; row?: PayoutRequestRow };

export interface PutInput {
  businessId: string;
  desired: Desired;
  claims: Claims;
  /** If-Match: "*" or the versions it lists; undefined without the header. */
  ifMatch?: string[];
}

/**
 * Applies a PUT in one statement. The stored request is locked first (FOR UPDATE), so
 * concurrent PUTs of one request queue up and each one's rules are checked against the
 * version the one before it left, in this same statement: If-Match, server-owned values,
 * canceled is final, amount and currency locked once allocations exist, approved allocations
 * untouchable, blocked requests take no new allocations and are not fulfilled. Only then does
 * it insert (create) or update (when something changed: version + 1, updatedTime now).
 *
 * Two creates of one new id can both find nothing to lock; the loser's insert does nothing and
 * it runs once more, now against the winner's row. That race is the only second round trip.
 */
export async function putPayoutRequest(db: Db, input: PutInput): Promise<PutOutcome> {
  const first = await runPut(db, input);
  if (first !== "raced") return first;
  const second = await runPut(db, input);
  if (second === "raced") throw new Error("payout request insert lost a race twice");
  return second;
}

async function runPut(db: Db, { businessId, desired, claims, ifMatch }: PutInput): Promise<PutOutcome | "raced"> {
  const payload = {
    d: { ...desired, amountMinor: desired.amountMinor.toString(), availableMinor: desired.availableMinor.toString() },
    c: claims,
    ...(ifMatch ? { ifMatch } : {}),
  };
  const id = desired.id;
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    WITH input AS (SELECT ${JSON.stringify(payload)}::jsonb AS j),
    cur AS MATERIALIZED (
      SELECT r.*, ${isoSql(sql`r.created_at`)} AS created_iso, ${isoSql(sql`r.updated_at`)} AS updated_iso
      FROM payout_requests r WHERE r.business_id = ${businessId} AND r.id = ${id}
      FOR UPDATE
    ),
    st AS MATERIALIZED (
      SELECT i.j, i.j->'d' AS d, i.j->'c' AS c, cr.* FROM input i LEFT JOIN cur cr ON true
    ),
    ts AS MATERIALIZED (
      -- Taken after the lock; never earlier than the stored time, so updatedTime only moves forward.
      SELECT t.now, ${isoSql(sql`t.now`)} AS iso FROM (
        SELECT GREATEST(date_trunc('milliseconds', clock_timestamp()), st.updated_at + interval '1 millisecond') AS now FROM st
      ) t
    ),
    old_alloc AS (
      SELECT e.value AS a, e.ordinality AS ord FROM cur, jsonb_array_elements(cur.allocations) WITH ORDINALITY e
    ),
    new_alloc AS (
      SELECT e.value AS a, e.ordinality AS ord FROM st, jsonb_array_elements(st.d->'allocations') WITH ORDINALITY e
    ),
    merged AS (
      -- Each allocation keeps its createdTime; its updatedTime moves only when its content does.
      SELECT COALESCE(jsonb_agg(n.a || jsonb_build_object(
          'createdTime', COALESCE(o.a->>'createdTime', ts.iso),
          'updatedTime', CASE WHEN (o.a - 'createdTime' - 'updatedTime') = n.a THEN o.a->>'updatedTime' ELSE ts.iso END)
        ORDER BY n.ord), '[]'::jsonb) AS allocations
      FROM new_alloc n CROSS JOIN ts LEFT JOIN old_alloc o ON o.a->>'transactionId' = n.a->>'transactionId'
    ),
    chk AS MATERIALIZED (
      SELECT st.id IS NULL AS creating,
        st.j ? 'ifMatch' AND (st.id IS NULL OR NOT (st.j->'ifMatch' ? '*' OR st.j->'ifMatch' ? st.version::text)) AS precondition_failed,
        ARRAY(
          SELECT f FROM (VALUES
            (CASE WHEN st.c ? 'createdTime' AND st.c->>'createdTime' IS DISTINCT FROM st.created_iso THEN 'createdTime' END),
            (CASE WHEN st.c ? 'updatedTime' AND st.c->>'updatedTime' IS DISTINCT FROM st.updated_iso THEN 'updatedTime' END),
            (CASE WHEN st.c ? 'status' AND st.c->>'status' IS DISTINCT FROM st.status THEN 'status' END),
            (CASE WHEN st.c ? 'availableMinor' AND (st.c->>'availableMinor')::bigint IS DISTINCT FROM st.available_minor THEN 'availableAmount' END),
            (CASE WHEN st.c ? 'linksInstrument' AND (st.id IS NULL OR st.c->'linksInstrument'->>'id' IS DISTINCT FROM st.payment_instrument_id) THEN '_links' END)
          ) x(f) WHERE f IS NOT NULL
          UNION ALL
          SELECT 'allocations.' || (ca.value->>'index') || '.' || k.k
          FROM jsonb_array_elements(st.c->'allocations') ca
          CROSS JOIN (VALUES ('createdTime'), ('updatedTime')) k(k)
          LEFT JOIN old_alloc o ON o.a->>'transactionId' = ca.value->>'transactionId'
          WHERE ca.value ? k.k AND (ca.value->>k.k) IS DISTINCT FROM (o.a->>k.k)
        ) AS mismatched,
        st.id IS NOT NULL AND (
          st.website_id IS DISTINCT FROM st.d->>'websiteId' OR st.customer_id IS DISTINCT FROM st.d->>'customerId'
          OR st.currency::text IS DISTINCT FROM st.d->>'currency' OR st.amount_minor IS DISTINCT FROM (st.d->>'amountMinor')::bigint
          OR st.status IS DISTINCT FROM st.d->>'status' OR st.description IS DISTINCT FROM st.d->>'description'
          OR st.batch_id IS DISTINCT FROM st.d->>'batchId' OR st.payment_instrument_id IS DISTINCT FROM st.d->>'paymentInstrumentId'
          OR st.selected_payment_instrument_redirect_url IS DISTINCT FROM st.d->>'selectedPaymentInstrumentRedirectUrl'
          OR st.blocked IS DISTINCT FROM (st.d->>'blocked')::boolean OR st.block_reason IS DISTINCT FROM st.d->>'blockReason'
          OR st.cancellation_description IS DISTINCT FROM st.d->>'cancellationDescription'
          OR st.canceled_by IS DISTINCT FROM st.d->>'canceledBy'
          OR (SELECT COALESCE(jsonb_agg(o.a - 'createdTime' - 'updatedTime' ORDER BY o.ord), '[]'::jsonb) FROM old_alloc o)
             IS DISTINCT FROM st.d->'allocations'
        ) AS changed,
        jsonb_array_length(COALESCE(st.allocations, '[]'::jsonb)) > 0 AS had_allocations,
        array_remove(ARRAY[
          CASE WHEN st.amount_minor <> (st.d->>'amountMinor')::bigint THEN 'amount' END,
          CASE WHEN st.currency::text <> st.d->>'currency' THEN 'currency' END], NULL) AS money_changes,
        (SELECT o.a->>'transactionId' FROM old_alloc o
          WHERE o.a->>'transactionResult' = 'approved'
            AND NOT EXISTS (SELECT 1 FROM new_alloc n WHERE n.a = o.a - 'createdTime' - 'updatedTime')
          ORDER BY o.ord LIMIT 1) AS approved_touched,
        (SELECT n.a->>'transactionId' FROM new_alloc n
          WHERE NOT EXISTS (SELECT 1 FROM old_alloc o WHERE o.a->>'transactionId' = n.a->>'transactionId')
          ORDER BY n.ord LIMIT 1) AS first_new_allocation,
        (st.d->>'blocked')::boolean AS blocking,
        st.d->>'status' = 'fulfilled' AND st.status IS DISTINCT FROM 'fulfilled' AS fulfilling,
        st.status = 'canceled' AS was_canceled
      FROM st
    ),
    v AS MATERIALIZED (
      SELECT chk.creating, chk.changed,
        CASE
          WHEN chk.precondition_failed THEN 'precondition_failed'
          WHEN cardinality(chk.mismatched) > 0 THEN 'server_owned'
          WHEN chk.was_canceled AND chk.changed THEN 'canceled_final'
          WHEN chk.had_allocations AND cardinality(chk.money_changes) > 0 THEN 'amount_locked'
          WHEN chk.approved_touched IS NOT NULL THEN 'approved_locked'
          WHEN chk.blocking AND chk.first_new_allocation IS NOT NULL THEN 'blocked_new_allocation'
          WHEN chk.blocking AND chk.fulfilling THEN 'blocked_fulfill'
        END AS problem,
        chk.mismatched, chk.money_changes, chk.approved_touched, chk.first_new_allocation
      FROM chk
    ),
    ins AS (
      INSERT INTO payout_requests (business_id, id, website_id, customer_id, currency, amount_minor, available_minor, status,
        description, batch_id, payment_instrument_id, selected_payment_instrument_redirect_url, blocked, block_reason,
        cancellation_description, canceled_by, allocations, created_at, updated_at)
      SELECT ${businessId}, ${id}, st.d->>'websiteId', st.d->>'customerId', st.d->>'currency', (st.d->>'amountMinor')::bigint,
        (st.d->>'availableMinor')::bigint, st.d->>'status', st.d->>'description', st.d->>'batchId', st.d->>'paymentInstrumentId',
        st.d->>'selectedPaymentInstrumentRedirectUrl', (st.d->>'blocked')::boolean, st.d->>'blockReason',
        st.d->>'cancellationDescription', st.d->>'canceledBy', m.allocations, ts.now, ts.now
      FROM st, v, merged m, ts
      WHERE v.creating AND v.problem IS NULL
      ON CONFLICT (business_id, id) DO NOTHING
      RETURNING *
    ),
    upd AS (
      UPDATE payout_requests p SET website_id = st.d->>'websiteId', customer_id = st.d->>'customerId', currency = st.d->>'currency',
        amount_minor = (st.d->>'amountMinor')::bigint, available_minor = (st.d->>'availableMinor')::bigint, status = st.d->>'status',
        description = st.d->>'description', batch_id = st.d->>'batchId', payment_instrument_id = st.d->>'paymentInstrumentId',
        selected_payment_instrument_redirect_url = st.d->>'selectedPaymentInstrumentRedirectUrl',
        blocked = (st.d->>'blocked')::boolean, block_reason = st.d->>'blockReason',
        cancellation_description = st.d->>'cancellationDescription', canceled_by = st.d->>'canceledBy',
        allocations = m.allocations, version = p.version + 1, updated_at = ts.now
      FROM st, v, merged m, ts
      WHERE p.business_id = ${businessId} AND p.id = ${id} AND NOT v.creating AND v.problem IS NULL AND v.changed
      RETURNING p.*
    ),
    result AS (
      SELECT 1 AS pri, 'created' AS source, ${rowColumns("ins")} FROM ins
      UNION ALL SELECT 2, 'updated', ${rowColumns("upd")} FROM upd
      UNION ALL SELECT 3, 'current', ${rowColumns("cur")} FROM cur
    )
    SELECT v.creating, v.changed, v.problem, v.mismatched, v.money_changes, v.approved_touched, v.first_new_allocation,
      (st.d->>'status') AS desired_status, r.*
    FROM v CROSS JOIN st LEFT JOIN (SELECT * FROM result ORDER BY pri LIMIT 1) r ON true`);

  const out = rows[0];
  if (!out) throw new Error("the payout request statement returned no row");
  const row = out.source ? toRow(out) : undefined;
  const problem = out.problem as string | null;
  if (problem === null) {
    if (out.source === "created") return { kind: "created", row: row! };
    if (out.source === "updated") return { kind: "updated", row: row! };
    if (out.creating) return "raced";
    return { kind: "unchanged", row: row! };
  }
  const refusal = ((): Refusal => {
    switch (problem) {
      case "precondition_failed":
        return { problem };
      case "server_owned":
        return { problem, fields: out.mismatched as string[] };
      case "canceled_final":
        return { problem, to: out.desired_status as string };
      case "amount_locked":
        return { problem, fields: out.money_changes as string[] };
      case "approved_locked":
        return { problem, transactionId: out.approved_touched as string };
      case "blocked_new_allocation":
        return { problem, transactionId: out.first_new_allocation as string };
      case "blocked_fulfill":
        return { problem };
      default:
        throw new Error(`unknown payout request refusal ${problem}`);
    }
  })();
  return { kind: "refused", refusal, row };
}
