import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

export type Claim = { claimed: true } | { claimed: false; fingerprint: string; response: { status: number; body: string } | undefined };

/**
 * Claims `key` for a request with this fingerprint, in one statement: inserts the claim, or
 * reads the one already there. Undefined when the first claim is not committed yet (our
 * insert waited for it, then our snapshot could not see it): that request is still running.
 *
 * A claim left without an answer for 5 minutes (its Worker died mid-request) may be taken
 * over by a retry of the same request; otherwise the key would be stuck "in progress".
 */
export async function claimIdempotencyKey(
  db: Db,
  businessId: string,
  key: string,
  request: { method: string; path: string; fingerprint: string },
): Promise<Claim | undefined> {
  const { rows } = await db.execute<{
    claimed: boolean;
    fingerprint: string;
    response_status: number | null;
    response_text: string | null;
  }>(sql`
    WITH claim AS (
      INSERT INTO idempotency_keys (business_id, key, method, path, fingerprint)
      VALUES (${businessId}, ${key}, ${request.method}, ${request.path}, ${request.fingerprint})
      ON CONFLICT (business_id, key) DO UPDATE SET created_at = now()
        WHERE idempotency_keys.response_status IS NULL
          AND idempotency_keys.fingerprint = excluded.fingerprint
          AND idempotency_keys.created_at < now() - interval '5 minutes'
      RETURNING fingerprint)
    SELECT true AS claimed, fingerprint, NULL::int AS response_status, NULL::text AS response_text FROM claim
    UNION ALL
    SELECT false, fingerprint, response_status, ${storedText(sql`response_body`)} FROM idempotency_keys
    WHERE business_id = ${businessId} AND key = ${key} AND NOT EXISTS (SELECT 1 FROM claim)`);
  const row = rows[0];
  if (!row) return undefined;
  if (row.claimed) return { claimed: true };
  const response = row.response_status === null ? undefined : { status: row.response_status, body: row.response_text ?? "null" };
  return { claimed: false, fingerprint: row.fingerprint, response };
}

/**
 * The answer is kept as the exact text sent (a JSON string inside the jsonb column), so a
 * replay is byte-identical; jsonb itself would reorder the keys. Older rows hold the object.
 */
function storedText(column: ReturnType<typeof sql>) {
  return sql`CASE WHEN jsonb_typeof(${column}) = 'string' THEN ${column} #>> '{}' ELSE ${column}::text END`;
}

/** The jsonb value that stores `body` (the response text) for `storedText` to give back. */
export const storedBody = (body: string) => sql`to_jsonb(${body}::text)`;

export async function recordIdempotentResponse(db: Db, businessId: string, key: string, status: number, body: string): Promise<void> {
  await db.execute(sql`
    UPDATE idempotency_keys SET response_status = ${status}, response_body = ${storedBody(body)}
    WHERE business_id = ${businessId} AND key = ${key}`);
}

/**
 * Releases a claim after a 5xx so a retry may run, unless the write itself already recorded
 * its answer (POST /balance/fund does, in the same statement as the credit).
 */
export async function releaseIdempotencyKey(db: Db, businessId: string, key: string): Promise<void> {
  await db.execute(sql`
    DELETE FROM idempotency_keys WHERE business_id = ${businessId} AND key = ${key} AND response_status IS NULL`);
}
