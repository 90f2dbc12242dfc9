import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { type Config, config, type Env } from "../env";
import { sha256Hex } from "../lib/digest";
import { newId } from "../lib/ids";
import { logError } from "../lib/log-error";
import { fundBusiness } from "../services/businesses";
import { applyStatusEvent, type SettleResult, type StatusEvent } from "../services/payout-lifecycle/settle";
import {
  type AllocationInput,
  type AllocationResult,
  commitAllocations,
  findAllocationByKey,
  type GroupCommitResult,
  type LedgerState,
  loadLedgerState,
} from "../services/payout-users/allocations";
import { userHash } from "../services/payout-users/hash";
import { commitGroup, loadInitiationContext, type PayoutRecord, toPayoutRecord } from "../services/payouts/initiate";
import { type KnownUser, maxKnownUsers, replay, reusedKey, sameRequest, sameStored, toOutcome } from "./allocation-outcomes";
import {
  type Decided,
  decideAllocations,
  decideGroup,
  duplicateRefId,
  type Pending,
  type PendingPayout,
  payoutsDisabled,
  type Queued,
  type Refusal,
  retryable,
  toLedgerPayout,
  toPayoutInput,
} from "./decisions";
import { recoverAllocations, recoverMixed } from "./recovery";
import type { AllocationOutcome, AllocationRequest, FundOutcome, PayoutInitiationRequest, PayoutOutcome } from "./types";

/**
 * One per business (idFromName(business id)): every change of that business's balance passes
 * through here, one at a time.
 *
 * An awaited database call lets other requests into the object, so it keeps its own queue.
 * While one write is in flight, new allocations wait; then all of them are decided in arrival
 * order against the running balance and written together in one round trip (group commit).
 * Postgres stays the source of truth: the write is conditional on `payouts_enabled`, and the
 * balance CHECK makes an overdraw impossible even if this object's view were wrong. After any
 * failed write the view is dropped and reloaded from the database.
 */
export class BalanceLedger extends DurableObject<Env> {
  private readonly cfg: Config;
  private businessId?: string;
  private state?: LedgerState;
  private queue: Queued[] = [];
  private draining = false;
  private calls = 0;
  /**
   * Users this object has seen, by email: their id, hash and hash digest never change, so a
   * top-up needs no hashing, and the Worker gets the hash without computing it again.
   */
  private users = new Map<string, KnownUser>();
  /** Idempotency keys whose allocation is queued or being written: a retry waits for the first. */
  private inFlight = new Map<string, { request: AllocationRequest; outcome: Promise<AllocationOutcome> }>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.cfg = config(env);
  }

  private db(): Db {
    return createDb(this.cfg, `ledger:${this.businessId}`);
  }

  async allocate(businessId: string, request: AllocationRequest): Promise<AllocationOutcome> {
    this.businessId ??= businessId;
    const key = request.idempotencyKey;
    if (key === undefined) return this.enqueue(request);

    const running = this.inFlight.get(key);
    if (running) return sameRequest(running.request, request) ? replay(await running.outcome) : reusedKey();

    // Registered before the lookup awaits, so a retry arriving meanwhile waits on this one.
    const outcome = this.allocateOnce(request, key);
    this.inFlight.set(key, { request, outcome });
    try {
      return await outcome;
    } finally {
      this.inFlight.delete(key);
    }
  }

  async fund(businessId: string, amount: number, idempotencyKey?: string): Promise<FundOutcome> {
    this.businessId ??= businessId;
    // Funding only raises the balance, so allocations decided meanwhile stay safe.
    this.state = undefined;
    let business;
    try {
      business = await fundBusiness(this.db(), businessId, BigInt(amount), idempotencyKey);
    } catch (err) {
      logError("ledger: funding failed", err);
      return { ok: false, code: "service_unavailable", message: "The funds may not have been added; retry with the same Idempotency-Key." };
    }
    if (!business) return { ok: false, code: "not_found", message: `No business with id "${businessId}".` };
    return { ok: true, balance: Number(business.payoutBalance), currency: business.currency };
  }

  private async allocateOnce(request: AllocationRequest, key: string): Promise<AllocationOutcome> {
    let stored;
    try {
      stored = await findAllocationByKey(this.db(), this.businessId!, key);
    } catch (err) {
      logError("ledger: idempotency lookup failed", err);
      return retryable("Could not check the Idempotency-Key; retry the request.");
    }
    if (!stored) return this.enqueue(request);
    if (!sameStored(stored, request)) return reusedKey();
    return replay(toOutcome(stored, await this.known(stored.user.email, stored.user.id)));
  }

  private enqueue(request: AllocationRequest): Promise<AllocationOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ kind: "allocation", request, resolve, call: ++this.calls });
      if (!this.draining) void this.drain();
    });
  }

  /**
   * Holds the funds of payouts (one, or a batch of up to 1,000 from POST /payouts/batch): they join
   * the same queue as allocations, are decided in arrival order against the running balances, and
   * are written in the same group commit, one outcome per initiation in the order given. A call's
   * initiations are never split across two group commits.
   */
  async initiate(businessId: string, requests: PayoutInitiationRequest[]): Promise<PayoutOutcome[]> {
    this.businessId ??= businessId;
    const call = ++this.calls;
    const outcomes = requests.map(
      (request) => new Promise<PayoutOutcome>((resolve) => this.queue.push({ kind: "payout", request, resolve, call })),
    );
    if (!this.draining) void this.drain();
    return Promise.all(outcomes);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, this.cfg.LEDGER_MAX_BATCH);
        const last = group.at(-1)!.call;
        while (this.queue.length && this.queue[0]!.call === last) group.push(this.queue.shift()!);
        if (group.some((q) => q.kind === "payout")) await this.decideAndWriteWithPayouts(group);
        else await this.decideAndWrite(group as Pending[]);
      }
    } finally {
      this.draining = false;
    }
  }

  private async decideAndWrite(group: Pending[]): Promise<void> {
    const db = this.db();
    let decided;
    try {
      this.state ??= await this.load(db);
      decided = decideAllocations(group, this.state);
      // Funds added or payouts switched on outside this object (the admin CLI): look again
      // before turning anyone away.
      if (decided.rejected.length) {
        this.state = await this.load(db);
        decided = decideAllocations(group, this.state);
      }
    } catch (err) {
      logError("ledger: could not load the balance", err);
      this.state = undefined;
      for (const p of group) p.resolve(retryable("The allocation was not made; retry the request."));
      return;
    }
    for (const [p, outcome] of decided.rejected) p.resolve(outcome);
    if (!decided.accepted.length) return;

    const fresh = new Map<string, KnownUser>();
    const inputs = await Promise.all(decided.accepted.map((p, ord) => this.toInput(p.request, ord, fresh)));
    let results: AllocationResult[];
    try {
      const written = await commitAllocations(db, this.businessId!, inputs);
      if (!written.debited) {
        // Payouts were switched off in the database since this object last looked.
        this.state = undefined;
        for (const p of decided.accepted) p.resolve(payoutsDisabled());
        return;
      }
      // Unless fund() dropped the view meanwhile, the debit's answer is the balance now.
      if (this.state) this.state = { ...this.state, balance: written.businessBalance };
      results = written.results;
    } catch (err) {
      logError("ledger: group commit failed", err);
      this.state = undefined;
      const recovered = await recoverAllocations(db, this.businessId!, inputs);
      if (!recovered) {
        for (const p of decided.accepted) p.resolve(retryable("The allocation was not made; retry the request."));
        return;
      }
      results = recovered;
    }
    await this.resolveAllocations(decided.accepted, results, fresh);
  }

  private async resolveAllocations(accepted: Pending[], results: AllocationResult[], fresh: Map<string, KnownUser>): Promise<void> {
    for (const r of results) {
      const minted = fresh.get(r.user.email);
      const user = minted?.id === r.user.id ? this.remember(r.user.email, minted) : await this.known(r.user.email, r.user.id);
      accepted[r.ord]!.resolve(toOutcome(r, user));
    }
  }

  /**
   * A group with payouts, decided in arrival order against the running balances, the accepted ones
   * written in one round trip (commitGroup: allocations and payouts in one transaction).
   *
   * Payouts from the business balance need only the balance this object already holds (the write
   * itself leaves out refIds already used). A payee or a payout user must be read fresh, so a group
   * with one starts with one read of everything it depends on; so does a group decided on a cached
   * view that refused anything (funds may have been added outside this object).
   */
  private async decideAndWriteWithPayouts(group: Queued[]): Promise<void> {
    const db = this.db();
    const payoutsIn = group.filter((q): q is PendingPayout => q.kind === "payout");
    const needsRead = payoutsIn.some((p) => p.request.payeeId || p.request.payoutUserId);
    let decided: Decided | undefined;
    try {
      if (!needsRead && this.state?.payoutsEnabled) {
        decided = decideGroup(group, { ...this.state, existingRefIds: new Set(), payees: new Map(), users: new Map() });
        if (decided.refused.length) decided = undefined;
      }
      if (!decided) {
        const ctx = await loadInitiationContext(db, this.businessId!, {
          refIds: payoutsIn.map((p) => p.request.refId),
          payeeIds: payoutsIn.flatMap((p) => (p.request.payeeId ? [p.request.payeeId] : [])),
          userIds: payoutsIn.flatMap((p) => (p.request.payoutUserId ? [p.request.payoutUserId] : [])),
        });
        if (!ctx) throw new Error(`business ${this.businessId} does not exist`);
        this.state = { balance: ctx.balance, currency: ctx.currency, payoutsEnabled: ctx.payoutsEnabled };
        decided = decideGroup(group, ctx);
      }
    } catch (err) {
      logError("ledger: could not load the balances", err);
      this.state = undefined;
      for (const q of group) q.resolve(retryable("Nothing was written; retry the request."));
      return;
    }
    // A refusal of an allocation is always a Refusal, which fits both kinds of outcome.
    for (const [q, outcome] of decided.refused) (q.resolve as (o: Refusal | PayoutOutcome) => void)(outcome);
    const { allocs, pays } = decided;
    if (!allocs.length && !pays.length) return;

    const fresh = new Map<string, KnownUser>();
    const allocInputs = await Promise.all(allocs.map((p, ord) => this.toInput(p.request, ord, fresh)));
    const payInputs = pays.map((p, ord) => toPayoutInput(p.request, ord));
    let allocated: GroupCommitResult | undefined;
    let paid: PayoutRecord[] = [];
    let payOrds: number[] = [];
    let duplicates: number[] = [];
    try {
      const committed = await commitGroup(db, this.businessId!, allocInputs, payInputs);
      allocated = committed.allocated;
      const payRows = committed.payRows;
      // Both statements are guarded by payouts_enabled in one transaction: nothing written means it is off.
      if ((allocated && !allocated.debited) || (payRows.length && !payRows[0]!.debited)) {
        this.state = undefined;
        for (const q of [...allocs, ...pays]) q.resolve(payoutsDisabled());
        return;
      }
      const balance = payRows.length ? BigInt(payRows[0]!.business_balance!) : allocated!.businessBalance;
      if (this.state) this.state = { ...this.state, balance };
      const written = payRows.filter((r) => r.id !== null);
      paid = written.map(toPayoutRecord);
      payOrds = written.map((r) => r.ord);
      duplicates = payRows.filter((r) => r.duplicate).map((r) => r.ord);
    } catch (err) {
      logError("ledger: group commit with payouts failed", err);
      this.state = undefined;
      const recovered = await recoverMixed(db, this.businessId!, allocInputs, payInputs);
      if (!recovered) {
        for (const q of [...allocs, ...pays]) q.resolve(retryable("Nothing was written; retry the request."));
        return;
      }
      allocated = recovered.allocated;
      paid = recovered.paid;
      payOrds = recovered.payOrds;
    }
    if (allocated) await this.resolveAllocations(allocs, allocated.results, fresh);
    const done = new Set<number>();
    paid.forEach((record, i) => {
      done.add(payOrds[i]!);
      pays[payOrds[i]!]!.resolve({ ok: true, payout: toLedgerPayout(record) });
    });
    for (const ord of duplicates) {
      done.add(ord);
      pays[ord]!.resolve(duplicateRefId(pays[ord]!.request.refId));
    }
    // Cannot happen while the context read holds (a payout user of another business is never accepted);
    // after a recovered write it is a duplicate left out, which a retry reports as such.
    pays.forEach((p, ord) => done.has(ord) || p.resolve(retryable("The payout was not written; retry the request.")));
  }

  private async load(db: Db): Promise<LedgerState> {
    const state = await loadLedgerState(db, this.businessId!);
    if (!state) throw new Error(`business ${this.businessId} does not exist`);
    return state;
  }

  /**
   * A known user brings its own id and digest (the insert then only tops up); an unknown email
   * gets a freshly minted id and hash, used only if this allocation really creates the user.
   */
  private async toInput(request: AllocationRequest, ord: number, fresh: Map<string, KnownUser>): Promise<AllocationInput> {
    let user = this.users.get(request.email) ?? fresh.get(request.email);
    if (!user) {
      const id = newId("payoutUser");
      const hash = await userHash(this.cfg.PAYOUT_HASH_SECRET, id);
      user = { id, hash, digest: await sha256Hex(hash) };
      fresh.set(request.email, user);
    }
    return {
      ord,
      email: request.email,
      amount: BigInt(request.amount),
      txId: newId("payoutUserTransaction"),
      newUserId: user.id,
      newHashDigest: user.digest,
      idempotencyKey: request.idempotencyKey ?? null,
      idempotencyFingerprint: request.idempotencyKey === undefined ? null : (request.fingerprint ?? null),
    };
  }

  /** The user with this id, from memory or by deriving its hash. */
  private async known(email: string, id: string): Promise<KnownUser> {
    const user = this.users.get(email);
    if (user?.id === id) return user;
    const hash = await userHash(this.cfg.PAYOUT_HASH_SECRET, id);
    return this.remember(email, { id, hash, digest: await sha256Hex(hash) });
  }

  private remember(email: string, user: KnownUser): KnownUser {
    if (this.users.size >= maxKnownUsers) this.users.delete(this.users.keys().next().value!);
    this.users.set(email, user);
    return user;
  }

  /**
   * A rail's status event for one payout (issue 10): the status change and, for REJECTED/FAILED, the
   * give-back to the business or payout user balance, in ONE statement guarded by the current status,
   * so the reversal happens exactly once whatever the concurrent or repeated deliveries. A give-back
   * raises a balance this object holds, so its view is dropped as fund() does (also when the write's
   * answer was lost and it may have committed).
   */
  async settle(businessId: string, event: StatusEvent): Promise<SettleResult> {
    this.businessId ??= businessId;
    try {
      const result = await applyStatusEvent(this.db(), businessId, event);
      if (result.reversed) this.state = undefined;
      return result;
    } catch (err) {
      this.state = undefined;
      throw err;
    }
  }

  /** Local runs only (src/local/restart-trigger.ts): a reset as a crash would do; the next call reloads from SQL. */
  restart(): void {
    if (this.env.SQL_ENDPOINT) this.ctx.abort("restarted through /__local/restart");
  }
}
