import type { PGlite } from "@electric-sql/pglite";
import type { RawResult } from "../backend";

/** After this many rows written, and at most this often, the statistics are refreshed. */
export interface AnalyzeAfter {
  rows: number;
  ms: number;
}

export const defaultAnalyzeAfter: AnalyzeAfter = { rows: 1_000, ms: 10_000 };

/**
 * PGlite runs Postgres without its background workers, so autovacuum never ANALYZEs: a table
 * keeps the statistics of its empty state, and the planner, guessing a handful of rows per
 * business, sorts every row of a business for a page of 50 instead of reading 51 off the index
 * (a payees page over 4,000 payees: 16-20 ms against 0.2 ms once analyzed). Neon's autovacuum
 * keeps statistics current; this stands in for it locally: once `rows` rows have been inserted,
 * updated or deleted and `ms` have passed since the last run, the next statement is followed by
 * an ANALYZE of the database (tens of milliseconds per few thousand rows, under PGlite's lock
 * like every statement).
 */
export class AutoAnalyze {
  private written = 0;
  private last = performance.now();
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly after: AnalyzeAfter = defaultAnalyzeAfter,
  ) {}

  /** Counts the rows the results wrote; starts an ANALYZE when it is due. */
  note(results: RawResult[]): void {
    for (const r of results) if (/^(INSERT|UPDATE|DELETE|MERGE)$/.test(r.command)) this.written += r.rowCount;
    if (this.running || this.written < this.after.rows || performance.now() - this.last < this.after.ms) return;
    this.written = 0;
    this.running = this.db
      .exec("ANALYZE")
      .then(() => undefined)
      .catch((err: unknown) => console.error("[local-sql] ANALYZE failed:", err instanceof Error ? err.message : err))
      .finally(() => {
        this.last = performance.now();
        this.running = undefined;
      });
  }

  /** Resolves once no ANALYZE is running (before the database closes). */
  async idle(): Promise<void> {
    await this.running;
  }
}
