import { type Decision, type Limit, leaseMs, resetSeconds } from "./token-bucket";

/** About a tenth of a second of the sustained rate, at most 32: none for slow keys (rate < 10/s). */
export function leaseSize(limit: Limit): number {
  return Math.min(32, Math.floor(limit.rate / 10));
}

/** Leases kept at once; beyond it the oldest is dropped (its tokens refill in under a second). */
const maxLeases = 10_000;

interface Lease {
  limit: Limit;
  tokens: number;
  /** The bucket's remaining tokens (leases excluded) when the object last answered. */
  remaining: number;
  expires: number;
}

const sameLimit = (a: Limit, b: Limit) => a.rate === b.rate && a.burst === b.burst;

/**
 * Tokens this isolate holds for a subject, so that a busy key does not pay a Durable Object hop
 * on every request (the hop cost 14% of a trivial route's throughput in `npm run bench --
 * rate-limit`). The RateLimiter hands out a lease only with an allowed request and only while the
 * bucket stays at least half full, so a client near its limit is decided by the object alone,
 * request by request, exactly as before. A lease lives `leaseMs`; its unspent tokens go back to
 * the bucket with this isolate's next call for the subject, so none is lost while the isolate
 * lives.
 *
 * The bucket and the leases never hold more than the burst together (token-bucket.ts), so a
 * lease lets no more requests through than the bucket alone would. RateLimit-Remaining is the
 * object's count when it last answered plus what this isolate still holds: with one isolate (a
 * local run) exact but for the refill since that answer, and with several a lower bound, because
 * other isolates' leases are not counted. Never more than is really there.
 */
export class Leases {
  private readonly held = new Map<string, Lease>();
  /** Subjects with a lease request in flight: one at a time, so concurrent misses don't each take one. */
  private readonly asking = new Set<string>();

  /** `clock`: the unit tests' own time; Date.now() otherwise. */
  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * One request of `subject`: a token this isolate holds, else `ask` the object (with the lease
   * to ask for and the tokens to give back). Undefined when the object could not answer.
   */
  async take(
    subject: string,
    limit: Limit,
    ask: (want: number, giveBack: number) => Promise<Decision | undefined>,
  ): Promise<Decision | undefined> {
    const held = this.renewing(subject, limit) ? undefined : this.spend(subject, limit, this.clock());
    if (held) return held;
    const giveBack = this.release(subject, limit, this.clock());
    const want = this.want(subject, limit);
    let decision: Decision | undefined;
    try {
      decision = await ask(want, giveBack);
    } finally {
      if (want > 0) this.asking.delete(subject);
    }
    return decision && this.answered(subject, limit, decision, this.clock());
  }

  /**
   * A lease down to its last quarter is renewed ahead, by the request that finds it so, while
   * the requests behind it spend that quarter: without it, every request that came while the
   * renewal was on its way hopped too (11% of requests in the limiter bench, against 4% with it).
   */
  private renewing(subject: string, limit: Limit): boolean {
    const lease = this.held.get(subject);
    const size = leaseSize(limit);
    return !!lease && lease.tokens <= size / 4 && size > 0 && !this.asking.has(subject);
  }

  /** One token of a live lease for this subject and limit, as the decision the request gets. */
  private spend(subject: string, limit: Limit, now: number): Decision | undefined {
    const lease = this.held.get(subject);
    if (!lease || lease.tokens < 1 || lease.expires <= now || !sameLimit(lease.limit, limit)) return undefined;
    lease.tokens -= 1;
    return this.decision(lease);
  }

  /** Ends a lease that expired or whose limit changed: the unspent tokens to give back. */
  private release(subject: string, limit: Limit, now: number): number {
    const lease = this.held.get(subject);
    if (!lease || (lease.expires > now && sameLimit(lease.limit, limit))) return 0;
    this.held.delete(subject);
    return lease.tokens;
  }

  /** How many tokens to ask for with this call (0 while another call for the subject asks). */
  private want(subject: string, limit: Limit): number {
    const size = leaseSize(limit);
    if (size === 0 || this.asking.has(subject)) return 0;
    this.asking.add(subject);
    return size;
  }

  /**
   * Takes the object's answer: keeps what it leased, and gives the request the headers of the
   * tokens this isolate now holds. A request the object refused still gets a token if this
   * isolate holds one (leased while the request was on its way).
   */
  private answered(subject: string, limit: Limit, d: Decision, now: number): Decision {
    let lease = this.held.get(subject);
    if (d.leased) {
      if (!lease || !sameLimit(lease.limit, limit)) {
        lease = { limit, tokens: 0, remaining: d.remaining, expires: now + leaseMs };
        this.keep(subject, lease);
      }
      lease.tokens += d.leased;
      lease.expires = now + leaseMs;
    }
    if (!lease || !sameLimit(lease.limit, limit)) return d;
    lease.remaining = d.remaining;
    if (!d.allowed) return this.spend(subject, limit, now) ?? d;
    return this.decision(lease);
  }

  /** Drops this isolate's lease of a subject (a local restart: src/local/restart-trigger.ts). */
  forget(subject: string): void {
    this.held.delete(subject);
  }

  private keep(subject: string, lease: Lease): void {
    if (this.held.size >= maxLeases) {
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    this.held.set(subject, lease);
  }

  private decision(lease: Lease): Decision {
    const remaining = lease.remaining + lease.tokens;
    return { allowed: true, limit: lease.limit.burst, remaining, reset: resetSeconds(lease.limit, remaining), retryAfter: 0 };
  }
}
