import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { logError } from "../lib/log-error";

export interface DatabasePing {
  ok: boolean;
  round_trip_ms: number | null;
  error?: string;
}

/** One `SELECT 1` round trip; a failure is reported (and logged), not thrown. */
export async function pingDatabase(db: Db): Promise<DatabasePing> {
  const started = performance.now();
  try {
    await db.execute(sql`SELECT 1`);
    return { ok: true, round_trip_ms: Math.round(performance.now() - started) };
  } catch (err) {
    logError("health: database check failed", err);
    return { ok: false, round_trip_ms: null, error: "database unreachable" };
  }
}
