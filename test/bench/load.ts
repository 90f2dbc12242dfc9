// The closed-loop load the benches drive: a fixed number of clients, each sending its next request
// as soon as the last one is answered, for a time or a number of requests, whichever ends first.

/** What one load run measured. */
export interface LoadRun {
  /** Requests that succeeded. */
  ok: number;
  /** Requests that did not. */
  errors: number;
  seconds: number;
  /** Every request's latency in ms, sorted (for percentile()). */
  latencies: number[];
}

/**
 * Keeps `clients` clients busy until `runMs` have passed or `maxRequests` have been sent.
 * `send(i, client, n)` sends request `i` (numbered across all clients, from 0), the `n`th of
 * `client` (from 1), and says whether it succeeded.
 */
export async function drive(
  clients: number,
  { runMs, maxRequests }: { runMs: number; maxRequests: number },
  send: (i: number, client: number, n: number) => Promise<boolean>,
): Promise<LoadRun> {
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + runMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let n = 1; performance.now() < deadline && sent < maxRequests; n++) {
        const i = sent++;
        const t = performance.now();
        const ok = await send(i, client, n);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ok: latencies.length - errors, errors, seconds, latencies };
}

/** Sends one request with the bench's key, reads the whole answer, and returns its status. */
export async function request(url: string, auth: string, init: { method?: string; body?: string } = {}): Promise<number> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: { Authorization: auth, ...(init.body ? { "Content-Type": "application/json" } : {}) },
    body: init.body,
  });
  await res.arrayBuffer();
  return res.status;
}
