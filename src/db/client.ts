import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { Config } from "../env";

// No relational schema is attached: the code writes SQL and uses the query builder, and
// building drizzle's relational config on every request would cost CPU for nothing.
export type Db = NeonHttpDatabase;

/**
 * Handles without a per-request tag, one per connection string and isolate. Over HTTP there is
 * no connection to hold, and neither neon() nor drizzle keeps per-query state, so one handle
 * serves every request; building them is about 5% of a one-query read's Worker CPU.
 */
const shared = new Map<string, Db>();
const maxShared = 16;

/**
 * The database handle for a request. Locally `SQL_ENDPOINT` points the driver at the local
 * server, and `tag` (the request id) travels in the connection string so the local server can
 * count round trips per request: such a handle is built per request. Production never sets
 * SQL_ENDPOINT, talks to Neon unchanged, and shares one handle per isolate.
 */
export function createDb(cfg: Pick<Config, "DATABASE_URL" | "SQL_ENDPOINT">, tag?: string): Db {
  const url = cfg.DATABASE_URL;
  if (cfg.SQL_ENDPOINT) {
    neonConfig.fetchEndpoint = cfg.SQL_ENDPOINT;
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
