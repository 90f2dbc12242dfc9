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
  /** Tokens handed to the caller's isolate besides this request's (a lease), if any. */
  lease?: Lease;
}

/** A lease: tokens one isolate may spend itself until `leaseMs` after it asked (src/ratelimit/leases.ts). */
export interface Lease {
  id: string;
  tokens: number;
}

export interface BucketState {
  tokens: number;
  /** ms timestamp of the last refill. */
  at: number;
  /** Leases handed out in the last `leaseMs` (their tokens may still be spent): tokens given, less tokens given back. */
  leases: (Lease & { at: number })[];
}

/** How long an isolate may spend a lease's tokens (src/ratelimit/leases.ts). */
export const leaseMs = 1_000;

export function newBucket(limit: Limit, now: number): BucketState {
  return { tokens: limit.burst, at: now, leases: [] };
}

/**
 * Refills for the time passed, then takes one token if there is one. A key whose limit was
 * lowered keeps at most the new burst. The clock may go backwards by a little between calls
 * (Date.now() in workerd only moves on I/O), which refills nothing.
 *
 * Leases (src/ratelimit/leases.ts): an allowed take may also hand out up to `want` more tokens,
 * as lease `id`, for the caller's isolate to spend itself, but only while the bucket stays at
 * least half full. `giveBack` returns the unspent tokens of the caller's running leases (when it
 * gives them up early), each taken off its own lease. While a lease runs, the bucket refills only
 * up to the burst less what the running leases were given (`refill`), so the bucket and the
 * leases never hold more than the burst together (as long as the burst is not lowered meanwhile).
 * `remaining` counts the bucket alone.
 */
export function take(
  state: BucketState,
  limit: Limit,
  now: number,
  lease: { want: number; giveBack?: Lease[]; id?: string } = { want: 0 },
): Decision {
  refill(state, limit, now);
  credit(state, limit, takeBack(state, lease.giveBack ?? []));
  const allowed = state.tokens >= 1;
  if (allowed) state.tokens -= 1;
  const id = allowed ? lease.id : undefined;
  const tokens = id ? Math.min(lease.want, Math.floor(state.tokens - limit.burst / 2)) : 0;
  const given = id && tokens > 0 ? { id, tokens } : undefined;
  if (given) {
    state.tokens -= given.tokens;
    state.leases.push({ ...given, at: now });
  }
  return {
    allowed,
    limit: limit.burst,
    remaining: Math.floor(state.tokens),
    reset: resetSeconds(limit, state.tokens),
    retryAfter: allowed ? 0 : Math.max(1, Math.ceil((1 - state.tokens) / limit.rate)),
    ...(given && { lease: given }),
  };
}

/**
 * Refills up to `now` in steps: to the end of each lease that ended since the last call, with
 * that lease still counted, then without it. Refilling in one step would let the refill earned
 * while a lease could still be spent land on top of that lease's spent tokens (a review's
 * counterexample: 272 requests in 2 ms against a burst of 200). Once a lease ends, its tokens
 * count as spent: the object never hears which were.
 */
function refill(state: BucketState, limit: Limit, now: number): void {
  state.leases.sort((x, y) => x.at - y.at);
  for (let first = state.leases[0]; first && first.at + leaseMs <= now; first = state.leases[0]) {
    refillTo(state, limit, first.at + leaseMs);
    state.leases.shift();
  }
  refillTo(state, limit, now);
}

function refillTo(state: BucketState, limit: Limit, to: number): void {
  credit(state, limit, (Math.max(0, to - state.at) / 1000) * limit.rate);
  state.at = Math.max(state.at, to);
}

/** Adds tokens to the bucket, never above the burst less what the running leases hold. */
function credit(state: BucketState, limit: Limit, tokens: number): void {
  const leased = state.leases.reduce((sum, l) => sum + l.tokens, 0);
  // Rounded to a millionth of a token so that float drift never refuses an earned request.
  state.tokens = Math.round(Math.max(0, Math.min(limit.burst - leased, state.tokens + tokens)) * 1e6) / 1e6;
}

/** Takes the tokens given back off their own running leases; tokens for a lease that ended are dropped. Returns what came back. */
function takeBack(state: BucketState, giveBack: Lease[]): number {
  let returned = 0;
  for (const back of giveBack) {
    const record = state.leases.find((l) => l.id === back.id);
    if (!record) continue;
    const tokens = Math.min(record.tokens, Math.max(0, back.tokens));
    record.tokens -= tokens;
    returned += tokens;
  }
  state.leases = state.leases.filter((l) => l.tokens > 0);
  return returned;
}

/** RateLimit-Reset: whole seconds until a bucket holding `tokens` is full again. */
export function resetSeconds(limit: Limit, tokens: number): number {
  return Math.ceil((limit.burst - tokens) / limit.rate);
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
