import type { PGlite } from "@electric-sql/pglite";
import type { RawResult } from "../backend";

/**
 * When a table is analyzed: once more than `rows` + `fraction` × its live rows have changed since
 * its last ANALYZE (autovacuum's own rule and defaults: `autovacuum_analyze_threshold` 50,
 * `autovacuum_analyze_scale_factor` 0.1), checked at most every `ms`.
 */
export interface AnalyzeAfter {
  rows: number;
  fraction: number;
  ms: number;
}

export const defaultAnalyzeAfter: AnalyzeAfter = { rows: 50, fraction: 0.1, ms: 1_000 };

/**
 * Postgres publishes a backend's table counters at most once a second (PGSTAT_MIN_INTERVAL): writes
 * this recent may not be counted yet, so statements keep checking for this long after the last one.
 */
const statsLagMs = 2_000;

/**
 * PGlite runs Postgres without its background workers, so autovacuum never ANALYZEs: a table
 * keeps the statistics it had, and the planner, guessing the few rows per business it saw, sorts
 * every row of a business for a page of 50 instead of reading 51 off the index (a payees page over
 * 4,000 payees: 16-20 ms against 0.2 ms once analyzed; 3,010 payees written after an ANALYZE that
 * saw 10: 6.5 ms against 0.1 ms). This stands in for autovacuum with its own rule, per table, from
 * Postgres' own counters (`pg_stat_user_tables.n_mod_since_analyze`): after statements that wrote,
 * at most every `ms`, the tables past the threshold are analyzed (under PGlite's lock like every
 * statement; a few milliseconds per thousand rows). Neon's autovacuum does this in production.
 */
export class AutoAnalyze {
  private lastWrite = Number.NEGATIVE_INFINITY;
  private lastCheck = Number.NEGATIVE_INFINITY;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly after: AnalyzeAfter = defaultAnalyzeAfter,
  ) {}

  /** Notes whether the results wrote; starts a check when one is due. */
  note(results: RawResult[]): void {
    const now = performance.now();
    if (results.some((r) => /^(INSERT|UPDATE|DELETE|MERGE|COPY)$/.test(r.command) && r.rowCount > 0)) this.lastWrite = now;
    // Due: writes the last check may not have seen (made before it, or within the counters' lag of it).
    if (this.running || this.lastWrite < this.lastCheck - statsLagMs || now - this.lastCheck < this.after.ms) return;
    this.lastCheck = now;
    this.running = this.analyzeStale()
      .catch((err: unknown) => console.error("[local-sql] ANALYZE failed:", err instanceof Error ? err.message : err))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async analyzeStale(): Promise<void> {
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
       WHERE n_mod_since_analyze > $1::float8 + $2::float8 * n_live_tup`,
      [this.after.rows, this.after.fraction],
    );
    if (rows.length > 0) await this.db.exec(`ANALYZE ${rows.map((r) => r.name).join(", ")}`);
  }

  /** Resolves once no check or ANALYZE is running (before the database closes). */
  async idle(): Promise<void> {
    await this.running;
  }
}
