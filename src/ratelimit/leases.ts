import { type Decision, type Lease, type Limit, leaseMs, resetSeconds } from "./token-bucket";

/** About a tenth of a second of the sustained rate, at most 32: none for slow keys (rate < 10/s). */
export function leaseSize(limit: Limit): number {
  return Math.min(32, Math.floor(limit.rate / 10));
}

/** Subjects this isolate keeps leases for; beyond it the oldest is dropped with its tokens. */
const maxSubjects = 10_000;

/** A lease as this isolate holds it: spendable until `expires`, then dropped (given back only when given up early). */
interface HeldLease extends Lease {
  expires: number;
}

interface Held {
  limit: Limit;
  /** The bucket's tokens (leases excluded) in the object's last answer to this isolate. */
  bucketRemaining: number;
  /** Oldest first. */
  leases: HeldLease[];
}

const sameLimit = (a: Limit, b: Limit) => a.rate === b.rate && a.burst === b.burst;
const live = (l: HeldLease, now: number) => l.tokens >= 1 && l.expires > now;

/**
 * Tokens this isolate holds for a subject, so that a busy key does not pay a Durable Object hop
 * on every request (a hop per request cost about 0.2 ms of Worker CPU, 10%, in `npm run bench --
 * rate-limit`). The RateLimiter hands out a lease only with an allowed request and only while the
 * bucket stays at least half full; once it is below half, every request that this isolate cannot
 * serve from a lease it already holds is decided by the object.
 *
 * Each lease keeps its own id and expiry: the isolate spends it until `leaseMs` after it asked,
 * never after the object (which counts from when it answered) has stopped counting it; what is
 * left then is lost, as the object counts it spent (a busy isolate can lose a lease and the last
 * quarter of the one before, at most 40 tokens, each second, and only while the bucket was at
 * least half full). A lease given up early (the key's limit changed) goes back to the bucket.
 * While leases run, the object refills its bucket only up to the burst less what they were given
 * (token-bucket.ts), so no more requests pass over any stretch of time than the bucket alone would
 * let through, unless the key's burst was lowered while leases granted under the old one (at most
 * half of it) still run. (A Worker whose clock runs a few milliseconds ahead of the object's can
 * spend a lease that much after the object stopped counting it: at most the rate times the
 * difference.)
 *
 * RateLimit-Remaining from a lease is the bucket as the object last told this isolate (normally
 * under `leaseMs` ago; an answer slower than that makes it older) plus what this isolate still
 * holds. With one isolate serving the key (a local run) it is exact but for the refill since and
 * this isolate's own requests still on their way to the object; with several, requests another
 * isolate served since then are not subtracted, so it can be higher than what is left, by what
 * they took.
 */
export class Leases {
  private readonly held = new Map<string, Held>();
  /**
   * Subjects with a lease request in flight, and when it began: one at a time, so concurrent
   * misses don't each take one. A call that never settles (its request cancelled) stops counting
   * after `leaseMs`, so it cannot keep the subject from leasing for the isolate's life.
   */
  private readonly asking = new Map<string, number>();

  /** `clock`: the unit tests' own time; Date.now() otherwise. */
  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * One request of `subject`: a token this isolate holds, else `ask` the object (with the lease
   * to ask for and the unspent tokens to give back). Undefined when the object could not answer.
   */
  async take(
    subject: string,
    limit: Limit,
    ask: (want: number, giveBack: Lease[]) => Promise<Decision | undefined>,
  ): Promise<Decision | undefined> {
    const now = this.clock();
    const served = this.shouldRenew(subject, limit, now) ? undefined : this.spend(subject, limit, now);
    if (served) return served;
    const giveBack = this.release(subject, limit, now);
    const want = this.startAsking(subject, limit, now);
    let decision: Decision | undefined;
    try {
      decision = await ask(want, giveBack);
    } finally {
      if (want > 0 && this.asking.get(subject) === now) this.asking.delete(subject);
    }
    // Expiry counts from before the call: the object counts the lease from when it answered.
    return decision && this.answered(subject, limit, decision, now);
  }

  /** Drops this isolate's leases of a subject (a local restart: src/local/restart-trigger.ts). */
  forget(subject: string): void {
    this.held.delete(subject);
  }

  /** One token of a live lease for this subject and limit (the oldest first), as the request's decision. */
  private spend(subject: string, limit: Limit, now: number): Decision | undefined {
    const held = this.held.get(subject);
    if (!held || !sameLimit(held.limit, limit)) return undefined;
    const lease = held.leases.find((l) => live(l, now));
    if (!lease) return undefined;
    lease.tokens -= 1;
    return this.decision(held, now);
  }

  /**
   * A lease down to its last quarter is renewed ahead, by the request that finds it so, while
   * the requests behind it spend that quarter: without it, every request that came while the
   * renewal was on its way hopped too (11% of requests in the limiter bench, against about 4%).
   */
  private shouldRenew(subject: string, limit: Limit, now: number): boolean {
    const held = this.held.get(subject);
    const size = leaseSize(limit);
    return !!held && size > 0 && !this.isAsking(subject, now) && this.holding(held, now) <= size / 4;
  }

  /**
   * Drops the leases that ended (the object counts their tokens as spent from then on) and, when
   * the key's limit changed, gives up the running ones: their unspent tokens, to give back.
   */
  private release(subject: string, limit: Limit, now: number): Lease[] {
    const held = this.held.get(subject);
    if (!held) return [];
    held.leases = held.leases.filter((l) => live(l, now));
    if (sameLimit(held.limit, limit)) return [];
    this.held.delete(subject);
    return held.leases.map(({ id, tokens }) => ({ id, tokens }));
  }

  private isAsking(subject: string, now: number): boolean {
    const since = this.asking.get(subject);
    if (since === undefined) return false;
    if (since + leaseMs > now) return true;
    this.asking.delete(subject);
    return false;
  }

  /** Whether this call asks for a lease (not while another call for the subject does). */
  private startAsking(subject: string, limit: Limit, now: number): number {
    const size = leaseSize(limit);
    if (size === 0 || this.isAsking(subject, now)) return 0;
    this.asking.set(subject, now);
    return size;
  }

  /**
   * Takes the object's answer: keeps what it leased, and gives the request the headers of what
   * this isolate now knows. A request the object refused still gets a token if this isolate holds
   * one (leased while the request was on its way).
   */
  private answered(subject: string, limit: Limit, d: Decision, askedAt: number): Decision {
    let held = this.held.get(subject);
    if (held && !sameLimit(held.limit, limit)) held = undefined;
    if (d.lease) {
      if (!held) {
        held = { limit, bucketRemaining: d.remaining, leases: [] };
        this.keep(subject, held);
      }
      held.leases.push({ ...d.lease, expires: askedAt + leaseMs });
    }
    if (!held) return d;
    held.bucketRemaining = d.remaining;
    const now = this.clock();
    if (!d.allowed) return this.spend(subject, limit, now) ?? d;
    return this.decision(held, now);
  }

  private keep(subject: string, held: Held): void {
    this.held.delete(subject);
    if (this.held.size >= maxSubjects) {
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    this.held.set(subject, held);
  }

  private holding(held: Held, now: number): number {
    return held.leases.reduce((sum, l) => sum + (live(l, now) ? l.tokens : 0), 0);
  }

  private decision(held: Held, now: number): Decision {
    const remaining = held.bucketRemaining + this.holding(held, now);
    return { allowed: true, limit: held.limit.burst, remaining, reset: resetSeconds(held.limit, remaining), retryAfter: 0 };
  }
}
