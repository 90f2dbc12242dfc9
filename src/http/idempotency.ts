import { sql } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { sha256Hex } from "./digest";
import { ApiError } from "./errors";

export const idempotencyHeader = "Idempotency-Key";

type Claim = { claimed: boolean; fingerprint: string; response_status: number | null; response_body: unknown };

/**
 * `Idempotency-Key` for write routes that are not balance mutations (those go through the
 * BalanceLedger, which also replays a retry that arrives while the first is still in flight).
 *
 * 1. Claim the key (one statement: insert, or read the existing claim).
 * 2. Run the handler. Its own write stays one round trip.
 * 3. Keep the answer for a retry; on a 5xx, release the key so a retry may run. A 5xx can also
 *    mean "committed, but the answer was lost", so a write that moves money records its answer
 *    in its own statement (see fundBusiness), and then the key is kept.
 * A request without the header costs nothing here.
 */
export const idempotent = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header(idempotencyHeader);
  if (key === undefined) return next();
  if (key.length < 1 || key.length > 255) {
    throw new ApiError("validation_error", "Idempotency-Key must be 1-255 characters.", {
      [idempotencyHeader]: ["Must be 1-255 characters"],
    });
  }
  const businessId = c.var.auth!.businessId;
  const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
  const db = c.var.db;

  // A claim left without an answer for 5 minutes (its Worker died mid-request) may be taken
  // over by a retry of the same request; otherwise the key would be stuck "in progress".
  const { rows } = await db.execute<Claim>(sql`
    WITH claim AS (
      INSERT INTO idempotency_keys (business_id, key, method, path, fingerprint)
      VALUES (${businessId}, ${key}, ${c.req.method}, ${c.req.path}, ${fingerprint})
      ON CONFLICT (business_id, key) DO UPDATE SET created_at = now()
        WHERE idempotency_keys.response_status IS NULL
          AND idempotency_keys.fingerprint = excluded.fingerprint
          AND idempotency_keys.created_at < now() - interval '5 minutes'
      RETURNING fingerprint)
    SELECT true AS claimed, fingerprint, NULL::int AS response_status, NULL::jsonb AS response_body FROM claim
    UNION ALL
    SELECT false, fingerprint, response_status, response_body FROM idempotency_keys
    WHERE business_id = ${businessId} AND key = ${key} AND NOT EXISTS (SELECT 1 FROM claim)`);
  const claim = rows[0];
  // The first request's claim is not committed yet: our insert waited for it, then our
  // snapshot could not see it. Either way that request is still running.
  if (!claim) throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");

  if (!claim.claimed) {
    if (claim.fingerprint !== fingerprint) {
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was used with another request body or path.");
    }
    if (claim.response_status === null) {
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    c.header("Idempotent-Replayed", "true");
    return c.json(claim.response_body as object, claim.response_status as 200);
  }

  let status = 500;
  let body: unknown = null;
  try {
    await next();
    status = c.res.status;
    if (status < 500) body = await c.res.clone().json();
  } finally {
    // Keeping the answer is bookkeeping: if it fails, the client still gets the real answer.
    await (status < 500
      ? db.execute(sql`
          UPDATE idempotency_keys SET response_status = ${status}, response_body = ${JSON.stringify(body)}::jsonb
          WHERE business_id = ${businessId} AND key = ${key}`)
      : // A 5xx releases the key so a retry may run, unless the write itself already recorded
        // its answer (POST /balance/fund does, in the same statement as the credit).
        db.execute(sql`DELETE FROM idempotency_keys
          WHERE business_id = ${businessId} AND key = ${key} AND response_status IS NULL`)
    ).catch((err: unknown) => console.error(`idempotency: could not record key ${key}`, err));
  }
});
