import { z } from "zod";

/** Bindings and variables the Worker runs with (wrangler.toml, secrets, or the test pool). */
export interface Env {
  /** Neon connection string in production; any postgres:// URL locally (the local server ignores it). */
  DATABASE_URL: string;
  /** Set only for local runs and tests: the local SQL-over-HTTP server that stands in for Neon. */
  SQL_ENDPOINT?: string;
  /** Seconds an API key lookup may be served from the isolate cache (at most 60). */
  AUTH_CACHE_TTL_SECONDS?: string;
  /** Key of the HMAC that derives each payout user's `hash` from its id (at least 32 characters). */
  PAYOUT_HASH_SECRET: string;
  /** Most allocations a BalanceLedger writes in one round trip; 1 switches group commit off. */
  LEDGER_MAX_BATCH?: string;
  BALANCE_LEDGER: DurableObjectNamespace<import("./ledger/balance-ledger").BalanceLedger>;
  /** Token buckets per API key and payout user hash, failed authentications per client IP. */
  RATE_LIMITER?: DurableObjectNamespace<import("./ratelimit/rate-limiter").RateLimiter>;
  /** "off": an operator's switch that lets every request through unlimited (and the bench's baseline). */
  RATE_LIMITS?: string;
}

const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" }),
  SQL_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  PAYOUT_HASH_SECRET: z.string().min(32, "PAYOUT_HASH_SECRET must be at least 32 characters"),
  LEDGER_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(500),
});

export type Config = z.infer<typeof envSchema>;

// Bindings do not change within an isolate, so the check runs once per env object.
const checked = new WeakMap<object, Config>();

export function config(env: Env): Config {
  let cfg = checked.get(env);
  if (!cfg) {
    const result = envSchema.safeParse(env);
    if (!result.success) {
      throw new Error(`Invalid Worker configuration: ${z.prettifyError(result.error)}`);
    }
    cfg = result.data;
    checked.set(env, cfg);
  }
  return cfg;
}
