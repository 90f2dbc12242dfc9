import { AsyncLocalStorage } from "node:async_hooks";
import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { Config } from "../env";

// No relational schema is attached: the code writes SQL and uses the query builder, and
// building drizzle's relational config on every request would cost CPU for nothing.
export type Db = NeonHttpDatabase;

/**
 * Handles, one per connection string and isolate. Over HTTP there is no connection to hold, and
 * neither neon() nor drizzle keeps per-query state, so one handle serves every request; building
 * them is about 5% of a one-query read's Worker CPU.
 */
const shared = new Map<string, Db>();
const maxShared = 16;

/** The request whose SQL is being sent, for the local SQL server's round-trip counts. */
const requestTag = new AsyncLocalStorage<string>();

/**
 * Runs `work` (a request's handling) with the SQL it sends filed under `tag` by the local SQL
 * server, which counts round trips per request for the tests' budgets. Without SQL_ENDPOINT
 * (production, Neon) the tag goes nowhere.
 */
export function withSqlTag<T>(tag: string, work: () => T): T {
  return requestTag.run(tag, work);
}

/**
 * The current request's tag, kept for SQL the runtime sends after the request's own work has
 * returned (a streamed answer's later pages): `inRequest(async () => await query)` files it under
 * the request. The query must start inside (drizzle's queries are lazy: they run when awaited).
 */
export function sqlTagScope(): <T>(work: () => T) => T {
  const tag = requestTag.getStore();
  return (work) => (tag === undefined ? work() : requestTag.run(tag, work));
}

/**
 * The driver's fetch when SQL_ENDPOINT points it at the local server: the current request's tag
 * rides along in a header, so requests share one handle locally too (a handle per request, with
 * the tag in its connection string, cost 0.2 ms of a one-query read's CPU that Neon never sees).
 */
function taggingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const tag = requestTag.getStore();
  if (tag === undefined) return fetch(input, init);
  const given = init?.headers;
  // The driver passes a plain object made for this call: a copy with one more key costs less than a Headers.
  if (given === undefined || (!(given instanceof Headers) && !Array.isArray(given))) {
    return fetch(input, { ...init, headers: { ...given, "Disburse-Tag": tag } });
  }
  const headers = new Headers(given);
  headers.set("Disburse-Tag", tag);
  return fetch(input, { ...init, headers });
}

/**
 * The database handle. Locally `SQL_ENDPOINT` points the driver at the local server. A `tag`
 * files the handle's SQL under that name there, in its connection string: for the work that is
 * not a request (a BalanceLedger, a queue consumer, the cron), whose tags name what the tests
 * count. Production never sets SQL_ENDPOINT and talks to Neon unchanged.
 */
export function createDb(cfg: Pick<Config, "DATABASE_URL" | "SQL_ENDPOINT">, tag?: string): Db {
  const url = cfg.DATABASE_URL;
  if (cfg.SQL_ENDPOINT) {
    neonConfig.fetchEndpoint = cfg.SQL_ENDPOINT;
    neonConfig.fetchFunction = taggingFetch;
    if (tag) return drizzle({ client: neon(`${url}${url.includes("?") ? "&" : "?"}disburse_tag=${encodeURIComponent(tag)}`) });
  }
  const key = `${url}\n${cfg.SQL_ENDPOINT ?? ""}`;
  let db = shared.get(key);
  if (!db) {
    if (shared.size >= maxShared) shared.delete(shared.keys().next().value!);
    db = drizzle({ client: neon(url) });
    shared.set(key, db);
  }
  return db;
}
