// Worker-test harness: each test seeds its own business and key, and depends on no other test.
import { env, SELF } from "cloudflare:test";
import { createDb, type Db } from "../src/db/client";
import { config, type Env } from "../src/env";
import { setKeyRateLimit } from "../src/services/api-key-rate-limits";
import { allScopes, type CreatedKey, createApiKey } from "../src/services/api-keys";
import { type Business, createBusiness } from "../src/services/businesses";

const workerEnv = env as unknown as Env;

export function testDb(): Db {
  return createDb(config(workerEnv));
}

export interface Seeded {
  business: Business;
  key: CreatedKey;
  /** Authorization header value for this business's key. */
  auth: string;
  /** fetch against the Worker with this business's key; `json` bodies are sent as JSON. */
  call(method: string, path: string, init?: { json?: unknown; headers?: Record<string, string>; body?: BodyInit }): Promise<Response>;
}

/** A key limit for tests that send hundreds of requests at once on one key: the default limit is not what they test. */
export const manyAtOnce = { rate: 10_000, burst: 10_000 };

export async function seedBusiness(
  opts: {
    balance?: bigint;
    payoutsEnabled?: boolean;
    scopes?: readonly string[];
    currency?: string;
    /** The key's own rate limit, for tests that send hundreds of requests at once (default: 100/s, burst 200). */
    rateLimit?: { rate: number; burst: number };
  } = {},
): Promise<Seeded> {
  const db = testDb();
  const business = await createBusiness(db, {
    name: "Test business",
    payoutBalance: opts.balance ?? 0n,
    payoutsEnabled: opts.payoutsEnabled ?? true,
    currency: opts.currency,
  });
  const key = await createApiKey(db, business.id, [...(opts.scopes ?? allScopes)]);
  if (opts.rateLimit) await setKeyRateLimit(db, key.id, opts.rateLimit);
  const auth = `Bearer ${key.secret}`;
  return {
    business,
    key,
    auth,
    call: (method, path, init = {}) => call(method, path, { ...init, headers: { Authorization: auth, ...init.headers } }),
  };
}

export function call(
  method: string,
  path: string,
  init: { json?: unknown; headers?: Record<string, string>; body?: BodyInit } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["Content-Type"] ??= "application/json";
  }
  return SELF.fetch(`http://disburse.test${path}`, { method, headers, body });
}

/**
 * Round trips and statements the local SQL server served for one request (by its X-Request-Id),
 * or for a tag such as `ledger:<business id>` (the writes of that business's BalanceLedger).
 */
export async function sqlStats(resOrTag: Response | string): Promise<{ requests: number; statements: number }> {
  const tag = typeof resOrTag === "string" ? resOrTag : resOrTag.headers.get("X-Request-Id");
  const stats = await fetch(`${sqlOrigin()}/__stats?tag=${encodeURIComponent(tag ?? "")}`);
  return stats.json();
}

/** The local SQL server's origin, for its test controls (`/__stats`, `/__faults`). */
export const sqlOrigin = () => new URL(workerEnv.SQL_ENDPOINT!).origin;

/**
 * A fault for the local SQL server to inject (src/local/fault-injector.ts): the next `count`
 * requests matching `match` (query text, then parameters) and `tag` fail before or after they
 * commit, or answer `delayMs` late. Aim it at your own business: other files run beside this one.
 */
export async function injectFault(fault: {
  count: number;
  match?: string;
  tag?: string;
  phase?: "before" | "after" | "slow";
  delayMs?: number;
}): Promise<void> {
  const res = await fetch(`${sqlOrigin()}/__faults`, { method: "POST", body: JSON.stringify(fault) });
  if (res.status !== 200) throw new Error(`the SQL server refused the fault ${JSON.stringify(fault)}: ${res.status} ${await res.text()}`);
}

/** What `work` resolves to, or "still waiting" if it has not within `ms`: for tests of something that must not hang. */
export function answeredWithin<T>(work: Promise<T>, ms: number): Promise<T | "still waiting"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<"still waiting">((resolve) => {
    timer = setTimeout(() => resolve("still waiting"), ms);
  });
  return Promise.race([work, waited]).finally(() => clearTimeout(timer));
}

/** Asserts the response is the error envelope with this status and code, and returns its body. */
export async function expectError(res: Response, status: number, code: string) {
  const body = (await res.json()) as {
    error: { code: string; type: string; message: string; request_id: string; fields?: Record<string, string[]> };
  };
  if (res.status !== status || body.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  }
  if (body.error.request_id !== res.headers.get("X-Request-Id")) throw new Error("request_id does not match X-Request-Id");
  return body.error;
}
