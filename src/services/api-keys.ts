import { and, eq, isNull, sql } from "drizzle-orm";
import { apiKeys } from "../../schema";
import type { Db } from "../db/client";
import { sha256Hex } from "../lib/digest";
import { newId } from "../lib/ids";

export interface ActiveKey {
  keyId: string;
  businessId: string;
  scopes: string[];
  /** The key's own rate limit; undefined means the default (100/s, burst 200). */
  rateLimit?: { rate: number; burst: number };
}

/** Every scope there is; the demo key gets all of them. `write:balance` is an admin scope. */
export const allScopes = [
  "read:payees",
  "write:payees",
  "read:payout_users",
  "write:payout_users",
  "read:balance",
  "write:balance",
  "read:payouts",
  "write:payouts",
  "read:payout_requests",
  "write:payout_requests",
  "read:ledger",
  "write:ledger",
] as const;

/** A fresh secret: 32 random bytes, base64url, behind a recognisable `dsb_sk_` marker. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return `dsb_sk_${b64}`;
}

/**
 * Looks a key up by the hash of its secret and marks it used, in one statement.
 * `last_used_at` therefore moves once per cache refresh, not once per request.
 */
export async function findActiveKey(db: Db, secretHash: string): Promise<ActiveKey | undefined> {
  const rows = await db.execute<{
    id: string;
    business_id: string;
    scopes: string[];
    rate_limit_rate: number | null;
    rate_limit_burst: number | null;
  }>(sql`
    UPDATE api_keys SET last_used_at = now()
    WHERE secret_hash = ${secretHash} AND revoked_at IS NULL
    RETURNING id, business_id, scopes, rate_limit_rate, rate_limit_burst`);
  const row = rows.rows[0];
  if (!row) return undefined;
  const own = row.rate_limit_rate != null && row.rate_limit_burst != null;
  return {
    keyId: row.id,
    businessId: row.business_id,
    scopes: row.scopes,
    ...(own ? { rateLimit: { rate: Number(row.rate_limit_rate), burst: Number(row.rate_limit_burst) } } : {}),
  };
}

export interface CreatedKey {
  id: string;
  secret: string;
  prefix: string;
  scopes: string[];
}

export async function createApiKey(db: Db, businessId: string, scopes: string[], name = ""): Promise<CreatedKey> {
  const id = newId("apiKey");
  const secret = newSecret();
  const prefix = secret.slice(0, 12);
  await db.insert(apiKeys).values({ id, businessId, name, prefix, secretHash: await sha256Hex(secret), scopes });
  return { id, secret, prefix, scopes };
}

/** Returns false when no such unrevoked key exists. */
export async function revokeApiKey(db: Db, keyId: string): Promise<boolean> {
  const rows = await db.execute(sql`
    UPDATE api_keys SET revoked_at = now() WHERE id = ${keyId} AND revoked_at IS NULL RETURNING id`);
  return rows.rows.length > 0;
}

/** Replaces an unrevoked key's scopes (the demo key is kept at `allScopes` across versions). Returns false when no such key. */
export async function setApiKeyScopes(db: Db, keyId: string, scopes: readonly string[]): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ scopes: [...scopes] })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
