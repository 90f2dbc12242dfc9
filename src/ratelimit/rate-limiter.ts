import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { type BucketState, type Decision, failures, type Lease, type Limit, newBucket, take, type WindowState } from "./token-bucket";

/**
 * One per limited subject (`idFromName("key:<key id>")`, `"hash:<digest>"`, `"ip:<address>"`):
 * a token bucket, or a window of failed authentications, decided one call at a time, so the
 * RateLimit-* headers it gives are exact (leases aside: src/ratelimit/leases.ts). The state lives
 * in memory only: an object that restarts, or is evicted after sitting idle, starts with a full
 * bucket and an empty window, which errs towards letting requests through.
 */
export class RateLimiter extends DurableObject<Env> {
  private bucket?: BucketState;
  private window?: WindowState;

  /**
   * Takes one token from the bucket, refilled at `limit.rate` per second up to `limit.burst`;
   * with `want`, leases up to that many more to the calling isolate, and takes back the unspent
   * tokens of its earlier leases (src/ratelimit/leases.ts).
   */
  take(limit: Limit, want = 0, giveBack: Lease[] = []): Decision {
    const now = Date.now();
    this.bucket ??= newBucket(limit, now);
    return take(this.bucket, limit, now, { want, giveBack, id: want > 0 ? crypto.randomUUID() : undefined });
  }

  /** Counts one failed authentication (record) or only asks whether the client is blocked. */
  failures(policy: { max: number; windowMs: number }, record: boolean): Decision {
    const now = Date.now();
    this.window ??= { start: now, count: 0 };
    return failures(this.window, policy, now, record);
  }

  /** Local runs only (src/local/restart-trigger.ts): a reset as a crash would do, with a full bucket after it. */
  restart(): void {
    if (this.env.SQL_ENDPOINT) this.ctx.abort("restarted through /__local/restart");
  }
}
