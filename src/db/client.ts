import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import type { Config } from "../env";

// No relational schema is attached: the code writes SQL and uses the query builder, and
// building drizzle's relational config on every request would cost CPU for nothing.
export type Db = NeonHttpDatabase;

/**
 * One drizzle handle per request. Over HTTP there is no connection to reuse, so this is cheap.
 * Locally `SQL_ENDPOINT` points the driver at the local server, and `tag` (the request id)
 * travels in the connection string so the local server can count round trips per request;
 * production never sets SQL_ENDPOINT and talks to Neon unchanged.
 */
export function createDb(cfg: Pick<Config, "DATABASE_URL" | "SQL_ENDPOINT">, tag?: string): Db {
  let url = cfg.DATABASE_URL;
  if (cfg.SQL_ENDPOINT) {
    neonConfig.fetchEndpoint = cfg.SQL_ENDPOINT;
    if (tag) url += `${url.includes("?") ? "&" : "?"}disburse_tag=${encodeURIComponent(tag)}`;
  }
  return drizzle({ client: neon(url) });
}
