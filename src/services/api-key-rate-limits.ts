import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * Sets one key's token bucket (requests per second sustained, burst), or back to the default
 * with `undefined`. Workers see the change when their cached lookup of the key expires
 * (AUTH_CACHE_TTL_SECONDS). Returns false when no such unrevoked key exists.
 */
export async function setKeyRateLimit(db: Db, keyId: string, limit: { rate: number; burst: number } | undefined): Promise<boolean> {
  const rows = await db.execute(sql`
    UPDATE api_keys SET rate_limit_rate = ${limit?.rate ?? null}, rate_limit_burst = ${limit?.burst ?? null}
    WHERE id = ${keyId} AND revoked_at IS NULL RETURNING id`);
  return rows.rows.length > 0;
}
