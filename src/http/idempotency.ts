import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { requestFingerprint } from "../lib/fingerprint";
import { logError } from "../lib/log-error";
import { claimIdempotencyKey, recordIdempotentResponse, releaseIdempotencyKey } from "../services/idempotency-keys";
import type { AuthedEnv } from "./auth";
import { ApiError } from "./errors";
import { jsonBody } from "./json-body";

export const idempotencyHeader = "Idempotency-Key";
export const replayedHeader = "Idempotent-Replayed";

/**
 * For a POST's OpenAPI `request.headers`: documents the header. It validates nothing (hono
 * hands the validator lower-cased names); `idempotencyKey()` checks it, the same on every group.
 */
export const idempotencyHeaders = z.object({
  [idempotencyHeader]: z.string().optional().openapi({
    description: "1-255 characters, per business. A retry with the same key and body replays the first answer.",
    example: "order-1234-payout",
  }),
});

/** The request's `Idempotency-Key` (undefined without one); the same rule and message on every group. */
export function idempotencyKey(c: Context): string | undefined {
  const key = c.req.header(idempotencyHeader);
  if (key !== undefined && (key.length < 1 || key.length > 255)) {
    throw new ApiError("validation_error", "Idempotency-Key must be 1-255 characters.", {
      [idempotencyHeader]: ["Must be 1-255 characters"],
    });
  }
  return key;
}

/** Checks the header's form as the first thing after auth, for routes that keep keys elsewhere (the ledger). */
export const idempotencyKeyForm = createMiddleware<AppEnv>(async (c, next) => {
  idempotencyKey(c);
  await next();
});

/** The fingerprint of this request for its Idempotency-Key (method, path, canonical JSON body). */
export async function fingerprintOf(c: Context): Promise<string> {
  return requestFingerprint(c.req.method, c.req.path, await jsonBody(c));
}

/** A replayed answer: the exact bytes first sent, with the replay header every group sends. */
export function replay(c: Context, status: number, body: string): Response {
  return c.body(body, status as 200, { "Content-Type": "application/json", [replayedHeader]: "true" });
}

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
export const idempotent = createMiddleware<AuthedEnv>(async (c, next) => {
  const key = idempotencyKey(c);
  if (key === undefined) return next();
  const businessId = c.var.auth.businessId;
  const fingerprint = await fingerprintOf(c);
  const db = c.var.db;

  const claim = await claimIdempotencyKey(db, businessId, key, { method: c.req.method, path: c.req.path, fingerprint });
  if (!claim) throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");
  if (!claim.claimed) {
    if (claim.fingerprint !== fingerprint) {
      throw new ApiError("idempotency_key_reused", "This Idempotency-Key was used with another request body or path.");
    }
    if (!claim.response) {
      throw new ApiError("idempotency_key_in_use", "A request with this Idempotency-Key is still in progress; retry shortly.");
    }
    return replay(c, claim.response.status, claim.response.body);
  }

  let status = 500;
  let body = "";
  try {
    await next();
    status = c.res.status;
    if (status < 500) body = await c.res.clone().text();
  } finally {
    // Keeping the answer is bookkeeping: if it fails, the client still gets the real answer.
    await (status < 500 ? recordIdempotentResponse(db, businessId, key, status, body) : releaseIdempotencyKey(db, businessId, key)).catch(
      (err: unknown) => logError(`idempotency: could not record key ${key}`, err),
    );
  }
});
