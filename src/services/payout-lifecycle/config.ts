import { z } from "zod";

/** The lifecycle's settings; every one has a default, so none is required in wrangler.toml. */
const lifecycleSchema = z.object({
  /** Subrequests one Worker invocation may make: 50 on the free plan, 1,000 on paid plans. */
  RAIL_MAX_SUBREQUESTS: z.coerce.number().int().min(10).max(10_000).default(50),
  /** Connections open at once (Workers allow 6 per invocation). */
  RAIL_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(6).default(6),
  /** How long a submission may wait for the rail's answer before it counts as a 504. */
  RAIL_SUBMIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(120_000).default(5_000),
  /** Deliveries of one submission before the payout is failed and its hold given back. */
  RAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay; each further retry doubles it, up to 5 minutes. */
  RAIL_RETRY_BASE_SECONDS: z.coerce.number().int().min(0).max(300).default(2),
  /** How long an unsubmitted PENDING payout waits before the cron hands it over again. */
  HANDOFF_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(60),
});

export type LifecycleConfig = z.infer<typeof lifecycleSchema>;

const cache = new WeakMap<object, LifecycleConfig>();

export function lifecycleConfig(env: object): LifecycleConfig {
  let cfg = cache.get(env);
  if (!cfg) {
    cfg = lifecycleSchema.parse(env);
    cache.set(env, cfg);
  }
  return cfg;
}

/** The retry delay after `attempts` failed deliveries. */
export function backoffSeconds(cfg: LifecycleConfig, attempts: number): number {
  return Math.min(cfg.RAIL_RETRY_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), 300);
}
