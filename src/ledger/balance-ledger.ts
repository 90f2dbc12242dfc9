import { DurableObject } from "cloudflare:workers";
import { createDb } from "../db/client";
import { type Config, config, type Env } from "../env";
import { logError } from "../lib/log-error";
import { fundBusiness } from "../services/businesses";
import { applyStatusEvent, type SettleResult, type StatusEvent } from "../services/payout-lifecycle/settle";
import { findAllocationByKey } from "../services/payout-users/allocations";
import { replay, reusedKey, sameRequest, sameStored, toOutcome } from "./allocation-outcomes";
import { type Pending, type Queued, retryable } from "./decisions";
import { commitAllocationGroup, commitMixedGroup, type LedgerView } from "./group-commit";
import type { AllocationOutcome, AllocationRequest, FundOutcome, PayoutInitiationRequest, PayoutOutcome } from "./types";
import { UserCache } from "./user-cache";

/**
 * One per business (idFromName(business id)): every change of that business's balance passes
 * through here, one at a time.
 *
 * An awaited database call lets other requests into the object, so it keeps its own queue.
 * While one write is in flight, new allocations wait; then all of them are decided in arrival
 * order against the running balance and written together in one round trip (group commit,
 * ./group-commit.ts).
 * Postgres stays the source of truth: the write is conditional on `payouts_enabled`, and the
 * balance CHECK makes an overdraw impossible even if this object's view were wrong. After any
 * failed write the view is dropped and reloaded from the database.
 */
export class BalanceLedger extends DurableObject<Env> {
  private readonly cfg: Config;
  /** Set by the first call, which names the business: its cached balance and payout users. */
  private view?: LedgerView;
  private queue: Queued[] = [];
  private draining = false;
  private calls = 0;
  /** Idempotency keys whose allocation is queued or being written: a retry waits for the first. */
  private inFlight = new Map<string, { request: AllocationRequest; outcome: Promise<AllocationOutcome> }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.cfg = config(env);
  }

  private ledger(businessId: string): LedgerView {
    this.view ??= {
      businessId,
      users: new UserCache(this.cfg.PAYOUT_HASH_SECRET),
      state: undefined,
      db: () => createDb(this.cfg, `ledger:${businessId}`),
    };
    return this.view;
  }

  async allocate(businessId: string, request: AllocationRequest): Promise<AllocationOutcome> {
    const view = this.ledger(businessId);
    const key = request.idempotencyKey;
    if (key === undefined) return this.enqueue(view, request);

    const running = this.inFlight.get(key);
    if (running) return sameRequest(running.request, request) ? replay(await running.outcome) : reusedKey();

    // Registered before the lookup awaits, so a retry arriving meanwhile waits on this one.
    const outcome = this.allocateOnce(view, request, key);
    this.inFlight.set(key, { request, outcome });
    try {
      return await outcome;
    } finally {
      this.inFlight.delete(key);
    }
  }

  async fund(businessId: string, amount: number, idempotencyKey?: string): Promise<FundOutcome> {
    const view = this.ledger(businessId);
    // Funding only raises the balance, so allocations decided meanwhile stay safe.
    view.state = undefined;
    let business;
    try {
      business = await fundBusiness(view.db(), businessId, BigInt(amount), idempotencyKey);
    } catch (err) {
      logError("ledger: funding failed", err);
      return { ok: false, code: "service_unavailable", message: "The funds may not have been added; retry with the same Idempotency-Key." };
    }
    if (!business) return { ok: false, code: "not_found", message: `No business with id "${businessId}".` };
    return { ok: true, balance: Number(business.payoutBalance), currency: business.currency };
  }

  private async allocateOnce(view: LedgerView, request: AllocationRequest, key: string): Promise<AllocationOutcome> {
    let stored;
    try {
      stored = await findAllocationByKey(view.db(), view.businessId, key);
    } catch (err) {
      logError("ledger: idempotency lookup failed", err);
      return retryable("Could not check the Idempotency-Key; retry the request.");
    }
    if (!stored) return this.enqueue(view, request);
    if (!sameStored(stored, request)) return reusedKey();
    return replay(toOutcome(stored, await view.users.known(stored.user.email, stored.user.id)));
  }

  private enqueue(view: LedgerView, request: AllocationRequest): Promise<AllocationOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ kind: "allocation", request, resolve, call: ++this.calls });
      if (!this.draining) void this.drain(view);
    });
  }

  /**
   * Holds the funds of payouts (one, or a batch of up to 1,000 from POST /payouts/batch): they join
   * the same queue as allocations, are decided in arrival order against the running balances, and
   * are written in the same group commit, one outcome per initiation in the order given. A call's
   * initiations are never split across two group commits.
   */
  async initiate(businessId: string, requests: PayoutInitiationRequest[]): Promise<PayoutOutcome[]> {
    const view = this.ledger(businessId);
    const call = ++this.calls;
    const outcomes = requests.map(
      (request) => new Promise<PayoutOutcome>((resolve) => this.queue.push({ kind: "payout", request, resolve, call })),
    );
    if (!this.draining) void this.drain(view);
    return Promise.all(outcomes);
  }

  /** Takes groups off the queue until it is empty; only one drain runs at a time. */
  private async drain(view: LedgerView): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, this.cfg.LEDGER_MAX_BATCH);
        const last = group.at(-1)!.call;
        while (this.queue.length && this.queue[0]!.call === last) group.push(this.queue.shift()!);
        try {
          if (group.some((q) => q.kind === "payout")) await commitMixedGroup(view, group);
          else await commitAllocationGroup(view, group as Pending[]);
        } catch (err) {
          // The commits answer every failure of the database themselves; this is a bug in between.
          // Nobody may wait on it forever, and the next group must still run. An outcome already
          // given stays (a promise settles once); the others may have been written, so the retry
          // they are told to make is the idempotent one.
          logError("ledger: a group commit threw", err);
          view.state = undefined;
          const message = "The ledger could not finish this request; retry it with the same Idempotency-Key (or refId).";
          for (const q of group) q.resolve(retryable(message));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * A rail's status event for one payout (issue 10): the status change and, for REJECTED/FAILED, the
   * give-back to the business or payout user balance, in ONE statement guarded by the current status,
   * so the reversal happens exactly once whatever the concurrent or repeated deliveries. A give-back
   * raises a balance this object holds, so its view is dropped as fund() does (also when the write's
   * answer was lost and it may have committed).
   */
  async settle(businessId: string, event: StatusEvent): Promise<SettleResult> {
    const view = this.ledger(businessId);
    try {
      const result = await applyStatusEvent(view.db(), businessId, event);
      if (result.reversed) view.state = undefined;
      return result;
    } catch (err) {
      view.state = undefined;
      throw err;
    }
  }

  /** Local runs only (src/local/restart-trigger.ts): a reset as a crash would do; the next call reloads from SQL. */
  restart(): void {
    if (this.env.SQL_ENDPOINT) this.ctx.abort("restarted through /__local/restart");
  }
}
