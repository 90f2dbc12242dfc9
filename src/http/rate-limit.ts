import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { logError } from "../lib/log-error";
import { limiter } from "../ratelimit/client";
import { type Decision, defaultLimit } from "../ratelimit/token-bucket";
import type { ActiveKey } from "../services/api-keys";
import { bearerToken } from "./auth";
import { sha256Hex } from "./digest";
import { ApiError } from "./errors";

/**
 * Rate limits in the request path (see README "Rate limits"): a token bucket per API key and
 * per payout user hash, and a window of failed authentications per client IP. Each decision is
 * one call to the subject's RateLimiter Durable Object, never a database round trip.
 */

/** CF-Connecting-IP: set by Cloudflare's edge, and by `wrangler dev` from the peer address. */
export function clientIp<E extends AppEnv>(c: Context<E>): string | undefined {
  return c.req.header("CF-Connecting-IP")?.trim() || undefined;
}

function rateHeaders(d: Decision): Record<string, string> {
  return { "RateLimit-Limit": String(d.limit), "RateLimit-Remaining": String(d.remaining), "RateLimit-Reset": String(d.reset) };
}

function refused(d: Decision, message: string): ApiError {
  return new ApiError("rate_limited", message, undefined, { ...rateHeaders(d), "Retry-After": String(d.retryAfter) });
}

function apply<E extends AppEnv>(c: Context<E>, d: Decision | undefined, message: string): void {
  if (!d) return;
  for (const [name, value] of Object.entries(rateHeaders(d))) c.header(name, value);
  if (!d.allowed) throw refused(d, message);
}

const keyLimited = "Too many requests for this API key. Retry after the number of seconds in Retry-After.";

/** One request of an authenticated API key against its bucket (the key's own limit, else the default). */
export async function limitApiKey<E extends AppEnv>(c: Context<E>, key: ActiveKey): Promise<void> {
  if (c.env.RATE_LIMITS === "binding") return limitByBinding(c, key);
  const decision = await limiter.take(c.env, `key:${key.keyId}`, key.rateLimit ?? defaultLimit);
  apply(c, decision, keyLimited);
}

/**
 * The candidate not chosen, kept so that the bench measures its cost beside the RateLimiter's:
 * the Workers Rate Limiting binding answers only `{ success }` for a limit fixed in its
 * configuration (not per key), so there are no RateLimit-* headers to give, and Retry-After can
 * only be its whole period (10 s here). An error from it lets the request through, as the
 * RateLimiter's does.
 */
async function limitByBinding<E extends AppEnv>(c: Context<E>, key: ActiveKey): Promise<void> {
  const binding = c.env.RATE_LIMIT_BINDING;
  if (!binding) return;
  const outcome = await binding.limit({ key: `key:${key.keyId}` }).catch((err) => {
    logError(`rate limit binding for key:${key.keyId} did not answer; request let through`, err);
    return { success: true };
  });
  if (!outcome.success) {
    throw new ApiError("rate_limited", keyLimited, undefined, { "Retry-After": "10" });
  }
}

/**
 * Before credentials are looked up (an API key not in the cache, a payout user hash): a client
 * that has used up its failed authentications gets 429 whatever it presents, so a blocked
 * guesser learns nothing until its window has passed.
 */
export async function refuseBlockedClient<E extends AppEnv>(c: Context<E>): Promise<void> {
  const ip = clientIp(c);
  if (!ip) return;
  const decision = await limiter.checkFailures(c.env, ip);
  if (decision && !decision.allowed) {
    throw refused(decision, "Too many failed authentications from this address. Retry after the number of seconds in Retry-After.");
  }
}

/** Payout user hash routes: the per-hash bucket and the client's failure window, asked together. */
export const limitPayoutUserHash = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  if (token) {
    const [decision] = await Promise.all([limiter.take(c.env, `hash:${await sha256Hex(token)}`, defaultLimit), refuseBlockedClient(c)]);
    apply(c, decision, "Too many requests for this payout user. Retry after the number of seconds in Retry-After.");
  }
  await next();
});

/**
 * Counts every 401 answered to a request that presented credentials against the client IP.
 * The answer carries that window's RateLimit-* headers; once the window's failures are used up,
 * the answer is a 429 instead. A request without credentials guesses nothing and is not counted.
 */
export const countAuthFailures = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status !== 401 || !c.req.header("Authorization")) return;
  const ip = clientIp(c);
  if (!ip) return;
  const decision = await limiter.recordFailure(c.env, ip);
  if (!decision) return;
  if (!decision.allowed) {
    c.res.headers.delete("WWW-Authenticate");
    throw refused(decision, "Too many failed authentications from this address. Retry after the number of seconds in Retry-After.");
  }
  for (const [name, value] of Object.entries(rateHeaders(decision))) c.res.headers.set(name, value);
});

const rateLimitHeaders = {
  "RateLimit-Limit": { description: "The bucket size (burst) of the key or hash.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Requests allowed right now.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the bucket is full again.", schema: { type: "integer" as const } },
};

/**
 * Adds the 429 answer (and the RateLimit-* headers) to every operation that needs credentials,
 * so that no route has to list it itself and a new group documents it automatically.
 */
export function documentRateLimits(registry: { definitions: readonly unknown[] }, errorSchema: unknown): void {
  for (const def of registry.definitions as { type: string; route?: { security?: unknown[]; responses: Record<string, any> } }[]) {
    const route = def.route;
    if (def.type !== "route" || !route || (Array.isArray(route.security) && route.security.length === 0)) continue;
    route.responses["429"] ??= {
      description: "Too many requests (see `Retry-After`), or too many failed authentications from this address",
      headers: { ...rateLimitHeaders, "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } },
      content: { "application/json": { schema: errorSchema } },
    };
    for (const [status, response] of Object.entries(route.responses)) {
      if (status.startsWith("2") && response && typeof response === "object")
        response.headers = { ...rateLimitHeaders, ...response.headers };
    }
  }
}
