// The bank check's invariants, read from SQL after the run has settled: the books balance per
// business, every give-back happened exactly once, every Idempotency-Key has exactly one effect, and
// every payout is final or has a live hand-off.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { type Biz, type Run, send, sleep } from "./bank-client";

const finals = sql.raw(`('INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED')`);
const givenBack = sql.raw(`('INITIATION_REJECTED', 'INITIATION_FAILED')`);
const inList = (ids: string[]) => sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

/**
 * A hand-off is live when the payout's next step is someone's job that is still going to happen:
 * - taken by the rail (`submitted_at`) as "Sandbox Hold", which the sandbox rail never settles by
 *   itself (a payment held at the rail: it waits for the rail, not for Disburse);
 * - PENDING and not yet taken, written or re-handed within the grace period: the queue (retrying a
 *   rail that does not answer, as for "Sandbox Timeout") or, once it is older, the cron hands it over.
 * Anything else that is not final is stuck: no one will ever move it.
 */
const live = (graceSeconds: number): SQL => sql`(
  (creditor->>'name' = 'Sandbox Hold' AND submitted_at IS NOT NULL)
  OR (status = 'INITIATION_PENDING' AND submitted_at IS NULL
      AND greatest(created_at, coalesce(rehanded_at, created_at)) > now() - make_interval(secs => ${graceSeconds})))`;

/** Money held by or paid out through payouts (PENDING, PROCESSING, COMPLETED); REJECTED/FAILED ones were given back. */
export async function heldAndCompletedPayouts(db: Db, businessId: string): Promise<bigint> {
  const { rows } = await db.execute<{ total: string }>(sql`
    SELECT coalesce(sum(amount), 0) AS total FROM payouts WHERE business_id = ${businessId} AND status NOT IN ${givenBack}`);
  return BigInt(rows[0]!.total);
}

/**
 * Waits until the queue, the rail and the cron have done their part: every payout final, or held at
 * the rail for good. The cron fires only when asked locally, so it is fired every half grace period
 * (a hand-off lost with a restart or a failed send is found by it). Gives up after `limitSeconds`.
 */
export async function waitUntilSettled(run: Run, businessIds: string[], graceSeconds: number, limitSeconds: number) {
  const started = performance.now();
  let lastCron = Number.NEGATIVE_INFINITY;
  let crons = 0;
  for (;;) {
    const { rows } = await run.ctx.db!.execute<{ n: string }>(sql`
      SELECT count(*) AS n FROM payouts WHERE business_id = ANY(${inList(businessIds)}) AND status NOT IN ${finals}
        AND NOT (creditor->>'name' = 'Sandbox Hold' AND submitted_at IS NOT NULL)`);
    const left = Number(rows[0]!.n);
    const seconds = (performance.now() - started) / 1000;
    if (!left || seconds > limitSeconds) return { seconds, left, crons, owed: left ? await owedBy(run.ctx.db!, businessIds) : "" };
    if (seconds - lastCron >= graceSeconds / 2) {
      await send(run, "GET", "/__local/scheduled");
      lastCron = seconds;
      crons++;
    }
    await sleep(1_000);
  }
}

/** What is still owed, by status, creditor and whether the rail took it: for the report when settling times out. */
async function owedBy(db: Db, businessIds: string[]): Promise<string> {
  const { rows } = await db.execute<{ status: string; creditor: string; submitted: boolean; n: string }>(sql`
    SELECT status, creditor->>'name' AS creditor, submitted_at IS NOT NULL AS submitted, count(*) AS n FROM payouts
    WHERE business_id = ANY(${inList(businessIds)}) AND status NOT IN ${finals}
      AND NOT (creditor->>'name' = 'Sandbox Hold' AND submitted_at IS NOT NULL)
    GROUP BY 1, 2, 3 ORDER BY 4 DESC`);
  return rows.map((r) => `${r.n} ${r.status} ${r.creditor}${r.submitted ? " (taken by the rail)" : ""}`).join(", ");
}

/** Appends every broken invariant of one business to `run.violations`. */
export async function checkBusiness(run: Run, b: Biz, initialBalance: bigint): Promise<void> {
  const db = run.ctx.db!;
  const v = (what: string) => run.violations.push(`${b.id}: ${what}`);

  const { rows } = await db.execute<{ balance: string; users: string; negatives: string; history: string }>(sql`
    SELECT (SELECT payout_balance FROM businesses WHERE id = ${b.id}) AS balance,
           (SELECT coalesce(sum(balance), 0) FROM payout_users WHERE business_id = ${b.id}) AS users,
           (SELECT count(*) FROM payout_users WHERE business_id = ${b.id} AND balance < 0) AS negatives,
           (SELECT coalesce(sum(amount), 0) FROM payout_user_transactions WHERE business_id = ${b.id}) AS history`);
  const r = rows[0]!;
  const balance = BigInt(r.balance);
  const users = BigInt(r.users);
  if (balance < 0n || Number(r.negatives) > 0) v("a negative balance");
  const payouts = await heldAndCompletedPayouts(db, b.id);
  if (initialBalance + b.funded !== balance + users + payouts) {
    // Which side is off: the business balance against what it funded, allocated and paid out itself.
    const { rows: side } = await db.execute<{ allocated: string; paid: string }>(sql`
      SELECT (SELECT coalesce(sum(amount), 0) FROM payout_user_transactions WHERE business_id = ${b.id} AND type = 'allocation') AS allocated,
             (SELECT coalesce(sum(amount), 0) FROM payouts WHERE business_id = ${b.id} AND payout_user_id IS NULL AND status NOT IN ${givenBack}) AS paid`);
    const expected = initialBalance + b.funded - BigInt(side[0]!.allocated) - BigInt(side[0]!.paid);
    v(
      `funded ${initialBalance + b.funded} != business ${balance} + users ${users} + held and completed payouts ${payouts} ` +
        `(the business balance is ${balance - expected} off what its funding, allocations and own payouts leave)`,
    );
  }
  if (BigInt(r.history) !== users) v(`history total ${r.history} != users' balances ${users}`);

  // Allocations: a key answered with success has exactly one history row of its amount, a refused one none.
  const keyed = await db.execute<{ idempotency_key: string; n: string; amount: string }>(sql`
    SELECT idempotency_key, count(*) AS n, sum(amount) AS amount FROM payout_user_transactions
    WHERE business_id = ${b.id} AND idempotency_key IS NOT NULL GROUP BY idempotency_key`);
  const effects = new Map(keyed.rows.map((k) => [k.idempotency_key, k]));
  for (const [key, amount] of b.allocated) {
    const e = effects.get(key);
    if (!e || Number(e.n) !== 1 || Number(e.amount) !== amount) v(`key ${key} answered success but has ${e?.n ?? 0} effects`);
  }
  for (const [key, answer] of b.refused) if (effects.has(key)) v(`key ${key} finally refused (${answer}) but has an effect`);

  // Payouts: each refId's final answer against the payout (at most one: refIds are unique per business).
  const written = await db.execute<{ ref_id: string; id: string }>(sql`SELECT ref_id, id FROM payouts WHERE business_id = ${b.id}`);
  const byRef = new Map(written.rows.map((p) => [p.ref_id, p.id]));
  for (const [refId, e] of b.payouts) {
    const id = byRef.get(refId);
    const by = e.key ? `key ${e.key}` : "a request without a key";
    if (e.expect === "id" && id !== e.id) v(`${by} answered payout ${e.id} for ${refId}, the database has ${id ?? "none"}`);
    if (e.expect === "exists" && !id) v(`${by} was told ${refId} exists (${e.answer}), but there is no such payout`);
    if (e.expect === "absent" && id) v(`${by} was finally refused for ${refId} (${e.answer}), but payout ${id} exists`);
  }

  // Give-backs: a REJECTED/FAILED payout moved there exactly once (its history row and the give-back are one
  // statement), nothing else moved to a final status twice, and a payout user's history has its debit once
  // and its reversal exactly once when given back.
  const wrong = await db.execute<{ id: string; status: string; give_backs: string; finals: string; debits: string; credits: string }>(sql`
    WITH h AS (
      SELECT payout_id, count(*) FILTER (WHERE status IN ${givenBack}) AS give_backs, count(*) FILTER (WHERE status IN ${finals}) AS finals
      FROM payout_status_history WHERE business_id = ${b.id} GROUP BY payout_id
    ), t AS (
      SELECT payout_id, count(*) FILTER (WHERE type = 'payout') AS debits, coalesce(sum(amount) FILTER (WHERE type = 'payout'), 0) AS debited,
             count(*) FILTER (WHERE type = 'payout_reversal') AS credits, coalesce(sum(amount) FILTER (WHERE type = 'payout_reversal'), 0) AS credited
      FROM payout_user_transactions WHERE business_id = ${b.id} AND payout_id IS NOT NULL GROUP BY payout_id
    )
    SELECT p.id, p.status, coalesce(h.give_backs, 0) AS give_backs, coalesce(h.finals, 0) AS finals,
           coalesce(t.debits, 0) AS debits, coalesce(t.credits, 0) AS credits
    FROM payouts p LEFT JOIN h ON h.payout_id = p.id LEFT JOIN t ON t.payout_id = p.id
    WHERE p.business_id = ${b.id} AND (
      coalesce(h.give_backs, 0) <> (CASE WHEN p.status IN ${givenBack} THEN 1 ELSE 0 END)
      OR coalesce(h.finals, 0) <> (CASE WHEN p.status IN ${finals} THEN 1 ELSE 0 END)
      OR (p.payout_user_id IS NULL AND t.payout_id IS NOT NULL)
      OR (p.payout_user_id IS NOT NULL AND (coalesce(t.debits, 0) <> 1 OR t.debited <> -p.amount
          OR coalesce(t.credits, 0) <> (CASE WHEN p.status IN ${givenBack} THEN 1 ELSE 0 END)
          OR coalesce(t.credited, 0) <> (CASE WHEN p.status IN ${givenBack} THEN p.amount ELSE 0 END))))
    LIMIT 20`);
  for (const p of wrong.rows)
    v(
      `payout ${p.id} ${p.status}: ${p.give_backs} give-back moves, ${p.finals} final moves, user debits ${p.debits}, reversals ${p.credits}`,
    );

  // The sandbox rail's own events (`msg_` ids) say what it did: a payout it settled must not have been given back.
  const paidTwice = await db.execute<{ id: string; status: string }>(sql`
    SELECT DISTINCT p.id, p.status FROM payouts p
    JOIN rail_webhook_events e ON e.payout_id = p.id AND e.rail = p.rail
    WHERE p.business_id = ${b.id} AND p.status IN ${givenBack} AND e.status = 'INITIATION_COMPLETED' AND e.webhook_id LIKE 'msg\\_%'
    LIMIT 20`);
  for (const p of paidTwice.rows) v(`payout ${p.id} was settled by the rail but is ${p.status} and given back`);

  // The sandbox rail takes every submission of every creditor but "Sandbox Timeout": a payout of any
  // other that Disburse failed for want of a submission (`disburse:submission-failed:`) is held by the
  // rail while its money was given back.
  const heldAndGivenBack = await db.execute<{ id: string; creditor: string }>(sql`
    SELECT p.id, p.creditor->>'name' AS creditor FROM payouts p
    JOIN payout_status_history h ON h.payout_id = p.id AND h.webhook_id = 'disburse:submission-failed:' || p.id
    WHERE p.business_id = ${b.id} AND p.creditor->>'name' <> 'Sandbox Timeout'
    LIMIT 20`);
  for (const p of heldAndGivenBack.rows)
    v(`payout ${p.id} (${p.creditor}) was taken by the rail but failed as not submitted and given back`);
}

/**
 * Every payout is final or has a live hand-off. Checked first, right after settling, because a
 * hand-off's liveness is a matter of time (the other checks take a while over 100,000 operations).
 */
export async function checkLiveness(run: Run, businessIds: string[], graceSeconds: number): Promise<void> {
  const stuck = await run.ctx.db!.execute<{ id: string; business_id: string; status: string; creditor: string; submitted: boolean }>(sql`
    SELECT id, business_id, status, creditor->>'name' AS creditor, submitted_at IS NOT NULL AS submitted FROM payouts
    WHERE business_id = ANY(${inList(businessIds)}) AND status NOT IN ${finals} AND NOT ${live(graceSeconds)}
    LIMIT 20`);
  for (const p of stuck.rows)
    run.violations.push(
      `${p.business_id}: payout ${p.id} (${p.creditor}) is ${p.status}, ${p.submitted ? "taken by the rail" : "not submitted"}, with no live hand-off`,
    );
}

/** Held payouts the bench settled alone: the final status its own events decided, whatever came after. */
export async function checkHeldFinals(run: Run): Promise<void> {
  const ids = [...run.heldFinal.keys()];
  for (let i = 0; i < ids.length; i += 5_000) {
    const { rows } = await run.ctx.db!.execute<{ id: string; status: string }>(
      sql`SELECT id, status FROM payouts WHERE id = ANY(${inList(ids.slice(i, i + 5_000))})`,
    );
    for (const p of rows)
      if (p.status !== run.heldFinal.get(p.id))
        run.violations.push(`held payout ${p.id} is ${p.status}, its rail said ${run.heldFinal.get(p.id)}`);
  }
}

/** Payouts per status over the run's businesses, for the report. */
export async function payoutStatuses(db: Db, businessIds: string[]): Promise<Record<string, number>> {
  const { rows } = await db.execute<{ status: string; n: string }>(sql`
    SELECT status, count(*) AS n FROM payouts WHERE business_id = ANY(${inList(businessIds)}) GROUP BY status ORDER BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
