// The bank check's client side: what it remembers of each business, and how it talks to the Worker
// and to the local SQL server's fault controls. The operations are in bank-ops.ts and bank-rail.ts,
// the invariants in bank-invariants.ts.
import type { BenchContext } from "./context";

/** What the bench expects of one refId's payout, from the final answer its request got. */
export interface PayoutExpectation {
  /** "id": this payout exists; "exists": one exists (a retry without a key was told duplicate_ref_id); "absent": none. */
  expect: "id" | "exists" | "absent";
  id?: string;
  /** The Idempotency-Key it was sent with, if any. */
  key?: string;
  /** The final answer, for the violation message. */
  answer: string;
}

export interface Biz {
  id: string;
  auth: string;
  /** The API key's id: its RateLimiter is `key:<id>`. */
  keyId: string;
  /** Funds confirmed by an answer (every fund carries an Idempotency-Key and is retried until answered). */
  funded: bigint;
  /** Allocation keys whose final answer was a success, and those finally refused. */
  allocated: Map<string, number>;
  /** Finally refused with a 4xx: key -> the answer. */
  refused: Map<string, string>;
  /** Still 5xx after every retry: whether it happened is unknown. */
  unanswered: number;
  /** Payout users of this business (from allocation answers): sources for payouts from a user's balance. */
  users: string[];
  /** By refId (the bench never uses one twice, except on purpose inside a batch). */
  payouts: Map<string, PayoutExpectation>;
  /** "Sandbox Hold" payouts no rail-event operation has taken yet: the rail never settles them, the bench does. */
  held: string[];
  /** Held payouts the bench settled, with the webhook-ids it used: targets for late and replayed events. */
  settled: { payoutId: string; webhookIds: string[] }[];
}

/** One run of the check: the Worker it drives, the shared random source and what went wrong. */
export interface Run {
  ctx: BenchContext;
  /** The bank check's own Worker (short rail timeouts and grace periods; see bank.ts). */
  base: string;
  rnd: () => number;
  violations: string[];
  /** Held payouts the bench settled alone, with the final status its own events decided. */
  heldFinal: Map<string, string>;
  /** Outcome counters ("payout 200", "event duplicate"...), printed after the run. */
  outcomes: Map<string, number>;
}

export type Answer = { status: number; body: any; replayed: boolean };

export const count = (run: Run, outcome: string) => run.outcomes.set(outcome, (run.outcomes.get(outcome) ?? 0) + 1);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function send(
  run: Run,
  method: string,
  path: string,
  init: { auth?: string; json?: unknown; key?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.auth) headers.Authorization = init.auth;
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  if (init.key) headers["Idempotency-Key"] = init.key;
  try {
    const res = await fetch(`${run.base}${path}`, {
      method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    const body = await res.json().catch(() => undefined);
    return { status: res.status, body, replayed: res.headers.get("Idempotent-Replayed") === "true" };
  } catch {
    // The connection itself failed: as unknown as a 5xx.
    return { status: 599, body: undefined, replayed: false };
  }
}

export const post = (run: Run, biz: Biz, path: string, json: unknown, key?: string) =>
  send(run, "POST", path, { auth: biz.auth, json, key });

/** A 409 idempotency_key_in_use: the key's first request has not finished (or its claim was not released); not an answer the key keeps. */
export const inUse = (a: Answer) => a.status === 409 && a.body?.error?.code === "idempotency_key_in_use";

/** Retries the same request (same key, same body) until it gets a definite answer: 2xx or 4xx other than 409 in-use. */
export async function untilAnswered(send: () => Promise<Answer>): Promise<Answer & { retried: boolean }> {
  for (let i = 0; ; i++) {
    const a = await send();
    if ((a.status < 500 && !inUse(a)) || i > 50) return { ...a, retried: i > 0 };
    await sleep(20 * Math.min(i + 1, 10));
  }
}

/** The next request whose SQL matches `match` fails, before its commit or after it (the answer lost). */
export async function fault(run: Run, match: string, phase: "before" | "after"): Promise<void> {
  await fetch(`${run.ctx.sqlOrigin}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, match, phase }) });
}

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

/**
 * Creditor names and how often each is paid: the sandbox rail's outcome is chosen by the name
 * (src/rails/sandbox/magic.ts). "Sandbox Hold" payouts are taken by the rail and never settled by
 * it: the bench plays the rail for them (bank-rail.ts).
 */
const creditors: [string, number][] = [
  ["Ada Lovelace", 120],
  ["Sandbox Reject", 32],
  ["Sandbox Fail", 32],
  ["Sandbox Duplicate", 32],
  ["Sandbox Reorder", 32],
  ["Sandbox Hold", 64],
  // Rare (1 in 313): each delivery of one holds a queue consumer lane for the whole submission
  // timeout, and the local queue runs one delivery at a time, so they slow every other hand-off.
  ["Sandbox Timeout", 1],
];
const creditorDraw = creditors.flatMap(([name, weight]) => Array<string>(weight).fill(name));

/** An `initiation` body as POST /api/v1/payouts takes it. */
export type Initiation = { refId: string; creditor: { name: string; [field: string]: string }; [field: string]: unknown };

/** A valid initiation of 0.01-20.00 USD, by Faster Payments or SEPA; from `payoutUserId`'s balance when given. */
export function initiation(rnd: () => number, refId: string, payoutUserId?: string): Initiation {
  const name = pick(rnd, creditorDraw);
  const cents = 1 + Math.floor(rnd() * 2_000);
  const sepa = rnd() < 0.3;
  return {
    refId,
    amount: { value: (cents / 100).toFixed(2), currency: "USD" },
    localInstrument: sepa ? "SEPA" : "FASTER_PAYMENTS",
    creditor: sepa ? { name, iban: "DE89370400440532013000", bic: "COBADEFFXXX" } : { name, sortCode: "040004", accountNumber: "12345678" },
    remittanceInformationPrimary: `Bank check ${refId}`,
    ...(payoutUserId ? { payoutUserId } : {}),
  };
}
