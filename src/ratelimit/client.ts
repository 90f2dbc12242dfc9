import type { Env } from "../env";
import { logError } from "../lib/log-error";
import { Leases } from "./leases";
import { authFailureLimit, type Decision, type Limit } from "./token-bucket";

/**
 * Asks the RateLimiter object of one subject. Undefined when it cannot answer (no binding, the
 * object is unreachable, reset or overloaded: the runtime throws): the caller lets the request
 * through, because a limiter outage must never take the API down. Every such case is logged.
 * There is no timeout of our own: on a loaded machine a slow answer is still the right one, and
 * a timer would switch the limiter off exactly when it is needed.
 */
async function ask(
  env: Env,
  subject: string,
  call: (stub: DurableObjectStub<import("./rate-limiter").RateLimiter>) => Promise<Decision>,
): Promise<Decision | undefined> {
  if (env.RATE_LIMITS === "off") return undefined;
  const ns = env.RATE_LIMITER;
  if (!ns) {
    console.warn(`rate limiter: no RATE_LIMITER binding; ${subject} not limited`);
    return undefined;
  }
  try {
    return await call(ns.get(ns.idFromName(subject)));
  } catch (err) {
    logError(`rate limiter for ${subject} did not answer; request let through`, err);
    return undefined;
  }
}

/** This isolate's leased tokens, per subject (src/ratelimit/leases.ts). */
export const leases = new Leases();

/** One request against a token bucket (an API key's, a payout user hash's): a leased token, else the object. */
function take(env: Env, subject: string, limit: Limit): Promise<Decision | undefined> {
  if (env.RATE_LIMITS === "off") return Promise.resolve(undefined);
  return leases.take(subject, limit, (want, giveBack) => ask(env, subject, (stub) => stub.take(limit, want, giveBack)));
}

export const limiter = {
  take,
  /** One failed authentication of a client IP. */
  recordFailure: (env: Env, ip: string) => ask(env, `ip:${ip}`, (stub) => stub.failures(authFailureLimit, true)),
  /** Whether a client IP is blocked for failed authentications, without counting. */
  checkFailures: (env: Env, ip: string) => ask(env, `ip:${ip}`, (stub) => stub.failures(authFailureLimit, false)),
};
