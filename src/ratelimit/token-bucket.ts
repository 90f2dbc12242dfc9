// Pure rate-limit arithmetic, shared by the RateLimiter Durable Object and its unit tests.

export interface Limit {
  /** Tokens added per second: the sustained rate. */
  rate: number;
  /** Bucket size: the most requests allowed at once after a quiet spell. */
  burst: number;
}

/** Stripe's live-mode figures: 100 requests per second sustained, bursts of 200. */
export const defaultLimit: Limit = { rate: 100, burst: 200 };

/** At most this many failed authentications per client IP in one window. */
export const authFailureLimit = { max: 20, windowMs: 60_000 };

/** What the RateLimit-* headers say, and whether the request may go on. */
export interface Decision {
  allowed: boolean;
  /** RateLimit-Limit: the bucket size (or the failures a window allows). */
  limit: number;
  /** RateLimit-Remaining: requests that would be allowed right now. */
  remaining: number;
  /** RateLimit-Reset: seconds until the bucket is full again (or the window ends). */
  reset: number;
  /** Retry-After when refused: whole seconds until one request would be allowed. */
  retryAfter: number;
}

export interface BucketState {
  tokens: number;
  /** ms timestamp of the last refill. */
  at: number;
}

export function newBucket(limit: Limit, now: number): BucketState {
  return { tokens: limit.burst, at: now };
}

/**
 * Refills for the time passed, then takes one token if there is one. A key whose limit was
 * lowered keeps at most the new burst. The clock may go backwards by a little between calls
 * (Date.now() in workerd only moves on I/O), which refills nothing.
 */
export function take(state: BucketState, limit: Limit, now: number): Decision {
  const elapsed = Math.max(0, now - state.at);
  // Rounded to a millionth of a token so that float drift never refuses an earned request.
  state.tokens = Math.round(Math.min(limit.burst, state.tokens + (elapsed / 1000) * limit.rate) * 1e6) / 1e6;
  state.at = Math.max(state.at, now);
  const allowed = state.tokens >= 1;
  if (allowed) state.tokens -= 1;
  return {
    allowed,
    limit: limit.burst,
    remaining: Math.floor(state.tokens),
    reset: Math.ceil((limit.burst - state.tokens) / limit.rate),
    retryAfter: allowed ? 0 : Math.max(1, Math.ceil((1 - state.tokens) / limit.rate)),
  };
}

export interface WindowState {
  start: number;
  count: number;
}

/**
 * A fixed window of failed authentications per client: `max` of them are answered normally
 * (401); from the next one on, the client gets 429 until the window that began with its first
 * failure has passed. `record` false only asks (before a key or hash lookup).
 */
export function failures(state: WindowState, policy: { max: number; windowMs: number }, now: number, record: boolean): Decision {
  if (now >= state.start + policy.windowMs) {
    state.start = now;
    state.count = 0;
  }
  const blockedBefore = state.count >= policy.max;
  if (record && !blockedBefore) state.count += 1;
  const reset = Math.max(1, Math.ceil((state.start + policy.windowMs - now) / 1000));
  return {
    allowed: !blockedBefore,
    limit: policy.max,
    remaining: Math.max(0, policy.max - state.count),
    reset,
    retryAfter: blockedBefore ? reset : 0,
  };
}
