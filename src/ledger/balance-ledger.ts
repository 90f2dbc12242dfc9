import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { config, type Config, type Env } from "../env";
import { newId } from "../lib/ids";
import { fundBusiness } from "../services/businesses";
import {
  commitAllocations,
  findAllocationByKey,
  findAllocationsByTxIds,
  loadLedgerState,
  type AllocationInput,
  type AllocationResult,
  type LedgerState,
  type StoredAllocation,
} from "../services/payout-users/allocations";
import { sha256Hex } from "../lib/digest";
import { userHash } from "../services/payout-users/hash";
import type { AllocationOutcome, AllocationRequest, FundOutcome } from "./types";

interface Pending {
  request: AllocationRequest;
  resolve(outcome: AllocationOutcome): void;
}

const retryable = (message: string): AllocationOutcome => ({ ok: false, code: "service_unavailable", message });

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
  private queue: Pending[] = [];
  private draining = false;
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
      console.error("ledger: funding failed", err);
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
      console.error("ledger: idempotency lookup failed", err);
      return retryable("Could not check the Idempotency-Key; retry the request.");
    }
    if (!stored) return this.enqueue(request);
    if (!sameStored(stored, request)) return reusedKey();
    return replay(toOutcome(stored, await this.known(stored.user.email, stored.user.id)));
  }

  private enqueue(request: AllocationRequest): Promise<AllocationOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, this.cfg.LEDGER_MAX_BATCH);
        await this.decideAndWrite(group);
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
      decided = this.decide(group, this.state);
      // Funds added or payouts switched on outside this object (the admin CLI): look again
      // before turning anyone away.
      if (decided.rejected.length) {
        this.state = await this.load(db);
        decided = this.decide(group, this.state);
      }
    } catch (err) {
      console.error("ledger: could not load the balance", err);
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
      console.error("ledger: group commit failed", err);
      this.state = undefined;
      const recovered = await this.recover(db, inputs);
      if (!recovered) {
        for (const p of decided.accepted) p.resolve(retryable("The allocation was not made; retry the request."));
        return;
      }
      results = recovered;
    }
    for (const r of results) {
      const minted = fresh.get(r.user.email);
      const user = minted?.id === r.user.id ? this.remember(r.user.email, minted) : await this.known(r.user.email, r.user.id);
      decided.accepted[r.ord]!.resolve(toOutcome(r, user));
    }
  }

  /**
   * A failed write may still have committed (the answer was lost on the way back). Look for the
   * group's history rows before telling anyone to retry, so that a retry, even one without an
   * Idempotency-Key, cannot allocate twice. Undefined when nothing was written or the database
   * cannot tell us.
   */
  private async recover(db: Db, inputs: AllocationInput[]): Promise<AllocationResult[] | undefined> {
    try {
      const stored = await findAllocationsByTxIds(db, this.businessId!, inputs.map((i) => i.txId));
      if (!stored.length) return undefined;
      const ordOf = new Map(inputs.map((i) => [i.txId, i.ord]));
      return stored.map((s) => ({ ...s, ord: ordOf.get(s.txId)! }));
    } catch (err) {
      console.error("ledger: could not tell whether the failed write committed", err);
      return undefined;
    }
  }

  /** Decides each request in arrival order against the running balance. */
  private decide(group: Pending[], state: LedgerState) {
    let running = state.balance;
    const accepted: Pending[] = [];
    const rejected: [Pending, AllocationOutcome][] = [];
    for (const p of group) {
      const amount = BigInt(p.request.amount);
      if (!state.payoutsEnabled) rejected.push([p, payoutsDisabled()]);
      else if (amount > running) {
        rejected.push([p, { ok: false, code: "insufficient_balance", message: "The business payout balance cannot cover this amount." }]);
      } else {
        running -= amount;
        accepted.push(p);
      }
    }
    return { accepted, rejected };
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
}

interface KnownUser {
  id: string;
  hash: string;
  digest: string;
}

const maxKnownUsers = 50_000;

function toOutcome(r: AllocationResult, known: KnownUser): AllocationOutcome {
  return {
    ok: true,
    status: r.created ? 201 : 200,
    replayed: false,
    user: { ...r.user, hash: known.hash, balance: Number(r.user.balance) },
  };
}

const replay = (o: AllocationOutcome): AllocationOutcome => (o.ok ? { ...o, replayed: true } : o);

// One rule with every other POST: a retry must carry the same fingerprint (method, path and
// canonical body). Rows from before fingerprints were kept fall back to email and amount.
const sameRequest = (a: AllocationRequest, b: AllocationRequest) =>
  a.fingerprint !== undefined || b.fingerprint !== undefined
    ? a.fingerprint === b.fingerprint
    : a.email === b.email && a.amount === b.amount;

const sameStored = (stored: StoredAllocation, request: AllocationRequest) =>
  stored.fingerprint !== null
    ? stored.fingerprint === request.fingerprint
    : stored.user.email === request.email && stored.amount === BigInt(request.amount);

const reusedKey = (): AllocationOutcome => ({
  ok: false,
  code: "idempotency_key_reused",
  message: "This Idempotency-Key was used with another request body.",
});

const payoutsDisabled = (): AllocationOutcome => ({
  ok: false,
  code: "payouts_disabled",
  message: "Payouts are not enabled for this business.",
});
