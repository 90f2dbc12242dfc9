import { ApiError } from "../../http/errors";
import { logError } from "../../lib/log-error";

export interface ChunkOptions {
  /**
   * Rows per chunk, counting a payout as 1 + its payments, refunds and other transactions.
   * Measured (test/bench/ledger-payouts.ts, PGlite, busy 2-core machine, noisy): one chunk costs
   * 3.2 ms per row at 105 rows, 1.7 at 504, 1.48 at 1,008, 1.42 at 1,995 and 1.38 at 3,990: flat
   * from about 1,000 rows. 2,000 rows (about 150 KB of client JSON, well under 1 MB of statement
   * parameters) is on the flat part, far inside Neon's HTTP request and response limits, and
   * still leaves a 1,000 x 20 request 11 chunks to spread over 6 connections; bigger chunks
   * would only cost parallelism, retry size and Worker memory.
   */
  chunkRows?: number;
  /** Chunks in flight at once; Workers allow 6 simultaneous connections. */
  concurrency?: number;
  /** At most this many chunks; a bigger request gets bigger chunks. */
  maxChunks?: number;
}

export const defaultChunkRows = 2000;
export const defaultConcurrency = 6;
// Chunks and answer pages each cost a subrequest (50 per invocation on the free plan), and the
// request needs 3 more (references, matching): 2 x 20 + 3 stays under 50.
export const defaultMaxChunks = 20;

/** Consecutive groups whose weights sum to at most `limit` (a heavier item goes alone). */
export function splitByWeight<T extends { weight: number }>(items: T[], limit: number): { start: number; items: T[] }[] {
  const chunks: { start: number; items: T[] }[] = [];
  let current: T[] = [];
  let start = 0;
  let weight = 0;
  items.forEach((item, i) => {
    if (current.length && weight + item.weight > limit) {
      chunks.push({ start, items: current });
      current = [];
      weight = 0;
      start = i;
    }
    current.push(item);
    weight += item.weight;
  });
  if (current.length) chunks.push({ start, items: current });
  return chunks;
}

/**
 * Runs `write` over chunks, at most `concurrency` at a time, and waits for all of them. Each
 * chunk is one transaction and an idempotent upsert by external_id, so when some fail the
 * others stay applied and the same request can simply be sent again: the answer is a 503 that
 * lists which payouts were applied and which were not.
 */
export async function writeInChunks<T extends { weight: number }, R>(
  items: T[],
  write: (chunk: T[], n: number) => Promise<R>,
  opts: ChunkOptions = {},
): Promise<R[]> {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  const maxChunks = opts.maxChunks ?? defaultMaxChunks;
  const limit = Math.max(opts.chunkRows ?? defaultChunkRows, Math.ceil(total / maxChunks));
  const chunks = splitByWeight(items, limit);
  const results: (R | Error)[] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const n = next++;
      try {
        results[n] = await write(chunks[n]!.items, n);
      } catch (err) {
        results[n] = err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? defaultConcurrency, chunks.length) }, worker));
  const range = (n: number) => `${chunks[n]!.start}-${chunks[n]!.start + chunks[n]!.items.length - 1}`;
  const failed = chunks.map((_, n) => n).filter((n) => results[n] instanceof Error);
  if (failed.length) {
    for (const n of failed) logError(`ledger-payouts: chunk ${n} (payouts ${range(n)}) failed`, results[n]);
    const applied = chunks.map((_, n) => n).filter((n) => !(results[n] instanceof Error));
    throw new ApiError(
      "service_unavailable",
      `${applied.length} of ${chunks.length} chunks were applied; the other ${failed.length} failed (written or not: an answer can be lost after a commit). ` +
        "Every chunk is an idempotent upsert by external_id: retrying the same request as it is is safe.",
      { "chunks.applied": applied.map((n) => `payouts ${range(n)}`), "chunks.failed": failed.map((n) => `payouts ${range(n)}`) },
      { "Retry-After": "1" },
    );
  }
  return results as R[];
}
