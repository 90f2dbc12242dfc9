import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { type Config, config, type Env } from "../env";
import type { ErrorCode } from "../http/errors";
import { sha256Hex } from "../lib/digest";
import { newId } from "../lib/ids";
import { fundBusiness } from "../services/businesses";
import { applyStatusEvent, type SettleResult, type StatusEvent } from "../services/payout-lifecycle/settle";
import {
  type AllocationInput,
  type AllocationResult,
  type AllocationRow,
  allocationResults,
  allocationsStatement,
  commitAllocations,
  findAllocationByKey,
  findAllocationsByTxIds,
  type GroupCommitResult,
  type LedgerState,
  loadLedgerState,
  type StoredAllocation,
} from "../services/payout-users/allocations";
import { userHash } from "../services/payout-users/hash";
import {
  type CommittedPayoutRow,
  commitPayouts,
  findPayoutsByIds,
  type InitiationContext,
  loadInitiationContext,
  type PayoutInput,
  type PayoutRecord,
  payoutsStatement,
  toPayoutRecord,
} from "../services/payouts/initiate";
import { belowThreshold } from "../services/payouts/money";
import type { AllocationOutcome, AllocationRequest, FundOutcome, LedgerPayout, PayoutInitiationRequest, PayoutOutcome } from "./types";

/** `call` numbers the ledger call an item came with: one call's items are never split across groups. */
interface Pending {
  kind: "allocation";
  request: AllocationRequest;
  resolve(outcome: AllocationOutcome): void;
  call: number;
}

interface PendingPayout {
  kind: "payout";
  request: PayoutInitiationRequest;
  resolve(outcome: PayoutOutcome): void;
  call: number;
}

type Queued = Pending | PendingPayout;

/** A refusal fits both an allocation's and a payout's outcome. */
type Refusal = { ok: false; code: ErrorCode; message: string };

const retryable = (message: string): Refusal => ({ ok: false, code: "service_unavailable", message });

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
   * written in one round trip: allocations and payouts as two statements of one `db.batch` (one
   * transaction), because one statement cannot update the business row twice.
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
      console.error("ledger: could not load the balances", err);
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
      let payRows: CommittedPayoutRow[] = [];
      if (allocInputs.length && payInputs.length) {
        const [a, b] = await db.batch([
          db.execute<AllocationRow>(allocationsStatement(this.businessId!, allocInputs)),
          db.execute<CommittedPayoutRow>(payoutsStatement(this.businessId!, payInputs)),
        ]);
        allocated = allocationResults(a.rows, allocInputs);
        payRows = b.rows;
      } else if (allocInputs.length) allocated = await commitAllocations(db, this.businessId!, allocInputs);
      else payRows = await commitPayouts(db, this.businessId!, payInputs);

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
      console.error("ledger: group commit with payouts failed", err);
      this.state = undefined;
      const recovered = await this.recoverMixed(db, allocInputs, payInputs);
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

  /** As recover(), for a group with payouts: its rows are all there (one transaction) or none is. */
  private async recoverMixed(db: Db, allocInputs: AllocationInput[], payInputs: PayoutInput[]) {
    try {
      const [allocs, payouts] = await Promise.all([
        allocInputs.length
          ? findAllocationsByTxIds(
              db,
              this.businessId!,
              allocInputs.map((i) => i.txId),
            )
          : [],
        payInputs.length
          ? findPayoutsByIds(
              db,
              this.businessId!,
              payInputs.map((i) => i.id),
            )
          : [],
      ]);
      if (!allocs.length && !payouts.length) return undefined;
      const allocOrd = new Map(allocInputs.map((i) => [i.txId, i.ord]));
      const payOrd = new Map(payInputs.map((i) => [i.id, i.ord]));
      return {
        allocated: allocInputs.length
          ? { debited: true, businessBalance: 0n, results: allocs.map((s) => ({ ...s, ord: allocOrd.get(s.txId)! })) }
          : undefined,
        paid: payouts,
        payOrds: payouts.map((p) => payOrd.get(p.id)!),
      };
    } catch (err) {
      console.error("ledger: could not tell whether the failed write committed", err);
      return undefined;
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
      const stored = await findAllocationsByTxIds(
        db,
        this.businessId!,
        inputs.map((i) => i.txId),
      );
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

const insufficient = (message: string) => ({ ok: false as const, code: "insufficient_balance" as const, message });

/** Why this payout may not go, or undefined when it may; checks in the order the README lists them. */
function refusePayout(
  r: PayoutInitiationRequest,
  amount: bigint,
  ctx: InitiationContext,
  refsTaken: Set<string>,
  businessBalance: bigint,
  userBalances: Map<string, bigint>,
): PayoutOutcome | undefined {
  const wrongCurrency = (whose: string): PayoutOutcome => ({
    ok: false,
    code: "validation_error",
    message: `The payout's currency must be ${whose} currency.`,
    fields: { "initiation.amount.currency": [`Must be ${ctx.currency}, ${whose} currency`] },
  });
  if (r.currency !== ctx.currency) return wrongCurrency("the business's");
  if (!ctx.payoutsEnabled) return payoutsDisabled();
  if (refsTaken.has(r.refId)) return duplicateRefId(r.refId);
  if (r.payeeId) {
    const payee = ctx.payees.get(r.payeeId);
    if (!payee)
      return {
        ok: false,
        code: "not_found",
        message: `No payee with id "${r.payeeId}".`,
        fields: { "initiation.payeeId": ["No such payee"] },
      };
    if (payee.holdStatus === "on_hold") {
      return { ok: false, code: "payee_on_hold", message: `The payee is on hold: ${payee.holdReason ?? "no reason was given"}.` };
    }
    if (payee.status !== "active") return { ok: false, code: "payee_inactive", message: `The payee is ${payee.status}, not active.` };
    if (payee.threshold !== null && belowThreshold(amount, r.currency, payee.threshold)) {
      return {
        ok: false,
        code: "below_minimum_payout_threshold",
        message: `The amount is below the payee's minimum payout threshold of ${payee.threshold} ${r.currency}.`,
        fields: { "initiation.amount.value": [`Must be at least ${payee.threshold}`] },
      };
    }
  }
  if (r.payoutUserId) {
    const user = ctx.users.get(r.payoutUserId);
    if (!user) {
      return {
        ok: false,
        code: "not_found",
        message: `No payout user with id "${r.payoutUserId}".`,
        fields: { "initiation.payoutUserId": ["No such payout user"] },
      };
    }
    if (user.currency !== r.currency) return wrongCurrency("the payout user's");
    if (amount > userBalances.get(r.payoutUserId)!) return insufficient("The payout user's balance cannot cover this amount.");
  } else if (amount > businessBalance) return insufficient("The business payout balance cannot cover this amount.");
  return undefined;
}

const duplicateRefId = (refId: string): PayoutOutcome => ({
  ok: false,
  code: "duplicate_ref_id",
  message: `A payout with refId "${refId}" already exists.`,
  fields: { "initiation.refId": ["Already used"] },
});

interface Decided {
  allocs: Pending[];
  pays: PendingPayout[];
  refused: [Queued, Refusal | PayoutOutcome][];
}

/** Decides a group in arrival order against the running balances; resolves nothing itself. */
function decideGroup(group: Queued[], ctx: InitiationContext): Decided {
  let running = ctx.balance;
  const userBalances = new Map([...ctx.users].map(([id, u]) => [id, u.balance]));
  const userIdByEmail = new Map([...ctx.users].map(([id, u]) => [u.email, id]));
  const refsTaken = new Set(ctx.existingRefIds);
  const decided: Decided = { allocs: [], pays: [], refused: [] };
  for (const q of group) {
    const amount = BigInt(q.request.amount);
    if (q.kind === "allocation") {
      if (!ctx.payoutsEnabled) decided.refused.push([q, payoutsDisabled()]);
      else if (amount > running) decided.refused.push([q, insufficient("The business payout balance cannot cover this amount.")]);
      else {
        running -= amount;
        decided.allocs.push(q);
        // Allocations are written before payouts, so a payout later in the group may use this top-up.
        const userId = userIdByEmail.get(q.request.email);
        if (userId) userBalances.set(userId, userBalances.get(userId)! + amount);
      }
      continue;
    }
    const refusal = refusePayout(q.request, amount, ctx, refsTaken, running, userBalances);
    if (refusal) {
      decided.refused.push([q, refusal]);
      continue;
    }
    refsTaken.add(q.request.refId);
    if (q.request.payoutUserId) userBalances.set(q.request.payoutUserId, userBalances.get(q.request.payoutUserId)! - amount);
    else running -= amount;
    decided.pays.push(q);
  }
  return decided;
}

function toPayoutInput(r: PayoutInitiationRequest, ord: number): PayoutInput {
  return {
    ord,
    id: newId("payout"),
    statusId: newId("payoutStatus"),
    txId: newId("payoutUserTransaction"),
    refId: r.refId,
    amount: BigInt(r.amount),
    currency: r.currency,
    localInstrument: r.localInstrument,
    creditor: r.creditor,
    initiation: r.initiation,
    onBehalfOfId: r.onBehalfOfId,
    payeeId: r.payeeId,
    payoutUserId: r.payoutUserId,
    rail: r.rail,
  };
}

const toLedgerPayout = (p: PayoutRecord): LedgerPayout => ({ ...p, amount: Number(p.amount) });

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

const payoutsDisabled = (): Refusal => ({
  ok: false,
  code: "payouts_disabled",
  message: "Payouts are not enabled for this business.",
});
