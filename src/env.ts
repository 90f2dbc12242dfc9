import { z } from "zod";
import { ApiError } from "./http/errors";

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
  /** Comma-separated origins allowed to call GET /api/v1/payout-user from a browser (CORS). */
  PAYOUT_USER_CORS_ORIGINS?: string;
  BALANCE_LEDGER: DurableObjectNamespace<import("./ledger/balance-ledger").BalanceLedger>;
  /** Token buckets per API key and payout user hash, failed authentications per client IP. */
  RATE_LIMITER?: DurableObjectNamespace<import("./ratelimit/rate-limiter").RateLimiter>;
  /** Payout lifecycle (issue 10): the submission queue; other settings in services/payout-lifecycle/config.ts. */
  PAYOUT_SUBMISSIONS: Queue<import("./services/payout-lifecycle/hand-off").SubmissionMessage>;
  /** The sandbox rail's payments (a rail reached over HTTP); SANDBOX_RAIL_URL sends to a standalone rail Worker instead. */
  SANDBOX_RAIL?: DurableObjectNamespace<import("./rails/sandbox/server").SandboxRail>;
  SANDBOX_RAIL_URL?: string;
  SANDBOX_RAIL_DELAY_MS?: string;
  SANDBOX_RAIL_WEBHOOK_URL?: string;
  RAIL_WEBHOOK_SECRET_SANDBOX?: string;
  /**
   * "off": an operator's switch that lets every request through unlimited (and the bench's baseline).
   * "binding": the candidate not chosen, the Workers Rate Limiting binding `RATE_LIMIT_BINDING`,
   * for `npm run bench -- rate-limit` to measure beside the RateLimiter (README "Rate limits").
   */
  RATE_LIMITS?: string;
  RATE_LIMIT_BINDING?: RateLimit;
}

const envSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  SQL_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(30),
  PAYOUT_HASH_SECRET: z.string().min(32, "must be at least 32 characters"),
  LEDGER_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(500),
});

export type Config = z.infer<typeof envSchema>;

/** The names of every setting the Worker reads, so local tools can pass them through from the shell. */
export const settingNames = Object.keys(envSchema.shape) as (keyof Config)[];

/** A setting that is missing or invalid: its name and what is wrong, never its value. */
export interface ConfigProblem {
  setting: string;
  problem: string;
}

/**
 * Thrown by `config()` for a Worker deployed without a required secret or with a bad variable:
 * every route but /health answers it as a 503 naming the settings (GET /health lists them too).
 */
export class InvalidConfig extends ApiError {
  constructor(readonly problems: ConfigProblem[]) {
    super("service_unavailable", `The API is not configured: ${describeProblems(problems)}. GET /health lists them.`);
    this.name = "InvalidConfig";
  }
}

export function describeProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `${p.setting} (${p.problem})`).join(", ");
}

export type ConfigCheck = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

// Bindings do not change within an isolate, so the check runs (and a failure is logged) once per env object.
const checked = new WeakMap<object, ConfigCheck>();

export function checkConfig(env: Env): ConfigCheck {
  let check = checked.get(env);
  if (!check) {
    const result = envSchema.safeParse(env);
    if (result.success) {
      check = { ok: true, config: result.data };
    } else {
      const problems = result.error.issues.map((issue) => {
        const setting = String(issue.path[0] ?? "?");
        const value = (env as unknown as Record<string, unknown>)[setting];
        // zod's messages name expectations, not the value received; a missing setting says so plainly.
        return { setting, problem: value === undefined || value === "" ? "missing" : issue.message };
      });
      check = { ok: false, problems };
      console.error(`Invalid Worker configuration: ${describeProblems(problems)}`);
    }
    checked.set(env, check);
  }
  return check;
}

export function config(env: Env): Config {
  const check = checkConfig(env);
  if (!check.ok) throw new InvalidConfig(check.problems);
  return check.config;
}
