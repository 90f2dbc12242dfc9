import type { unstable_startWorker } from "wrangler";

/** Bindings beyond the vars, as wrangler's programmatic API takes them (a Rate Limiting binding...). */
export type WorkerBindings = NonNullable<Parameters<typeof unstable_startWorker>[0]["bindings"]>;

/** What the bench runner (test/bench/run.ts) hands every benchmark. */
export interface BenchContext {
  /** Which database is behind the local SQL server: "pglite" or "postgres". */
  database: string;
  /** Base URL of the running Worker, e.g. http://127.0.0.1:8790 */
  baseUrl: string;
  /** A fresh business with every scope; `balance` in cents, payouts enabled. */
  newBusiness(opts?: {
    balance?: bigint;
    rateLimit?: { rate: number; burst: number };
  }): Promise<{ businessId: string; authHeader: string }>;
  /** Round trips (HTTP requests) and statements the local SQL server has served so far. */
  sqlStats(): Promise<{ requests: number; statements: number }>;
  /** Simulated network latency of the database, in ms (SQL_LATENCY_MS), changeable between runs. */
  setSqlLatency(ms: number): Promise<void>;
  /** The local SQL server's endpoint (for seeding data and per-tag round-trip stats). */
  sqlUrl: string;
  /** Process ids of each local process group (the Worker's workerd, the SQL server...), for CPU per request; `url` names another Worker (workerWith) than the main one. */
  processes(url?: string): Record<string, () => number[]>;
  /** The database, for checks after a run (the bank check's invariants). */
  db?: import("../../src/db/client").Db;
  /** Origin of the local SQL server, for its test controls (POST /__faults). */
  sqlOrigin?: string;
  /** Base URL of another Worker on the same database with these extra vars and bindings (started once). */
  workerWith(vars: Record<string, string>, bindings?: WorkerBindings): Promise<string>;
  /** The same Worker started through Miniflare with the runtime's inspector open, for its heap (the soak); stopped with the run. */
  inspectableWorker(): Promise<import("./inspectable-worker").InspectableWorker>;
}

/** Prints rows as an aligned table: the way every benchmark reports, baseline beside result. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`);
  console.table(rows);
}

/** The sides in round `round`'s order: rotated each round, so that no side always runs first (or on a warmer machine). */
export const rotated = <T>(sides: T[], round: number): T[] => [
  ...sides.slice(round % sides.length),
  ...sides.slice(0, round % sides.length),
];

/** The median over rounds of `f(this side's figure, the baseline's in the same round)`. */
export const medianPerRound = <T>(side: T[], baseline: T[], f: (x: T, base: T) => number): number =>
  median(side.map((x, i) => (baseline[i] === undefined ? Number.NaN : f(x, baseline[i]))));

/** The median of numbers in any order. */
export const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Percentile of already sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
