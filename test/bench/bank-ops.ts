// The bank check's operations: each picks a business and moves (or tries to move) money, injects a
// failure, or restarts something, and records what its final answer promises so that
// bank-invariants.ts can hold the books to it. Weights are relative frequencies.
import {
  type Answer,
  type Biz,
  count,
  fault,
  initiation,
  inUse,
  type PayoutExpectation,
  pick,
  post,
  type Run,
  send,
  sleep,
  untilAnswered,
} from "./bank-client";
import { lateRailEvent, railEventsForHeldPayout } from "./bank-rail";

export interface Op {
  name: string;
  weight: number;
  run(run: Run, biz: Biz, n: number): Promise<void>;
}

const code = (a: Answer) => `${a.status}${a.body?.error?.code ? ` ${a.body.error.code}` : ""}`;

/** Without a key a 5xx is retried with the same body; refId is then the only guard against a second payout. */
async function retriedWithoutKey(request: () => Promise<Answer>): Promise<Answer & { retried: boolean }> {
  for (let i = 0; ; i++) {
    const a = await request();
    if (a.status < 500 || i > 50) return { ...a, retried: i > 0 };
    await sleep(20 * Math.min(i + 1, 10));
  }
}

/** What one initiation's final answer (a single payout's, or a batch item's) promises about its refId. */
function expectation(status: number, body: any, key: string | undefined, retried: boolean): PayoutExpectation | undefined {
  const answer = `${status}${body?.error?.code ? ` ${body.error.code}` : ""}`;
  if (status === 200) return { expect: "id", id: body.payout.id, key, answer };
  // Unknown: the request may or may not have happened (or, still "in use" after every retry, may yet happen).
  if (status >= 500 || body?.error?.code === "idempotency_key_in_use") return undefined;
  // Without a key, "refId already used" after a failed attempt means that attempt happened. With a key
  // the key's answer must be the payout itself: a refusal promises there is none.
  if (!key && retried && body?.error?.code === "duplicate_ref_id") return { expect: "exists", answer };
  return { expect: "absent", key, answer };
}

/** Keeps what a final answer promises about a refId; a refId's accepted payout is never overruled by a later refusal of it. */
function remember(run: Run, biz: Biz, refId: string, e: PayoutExpectation | undefined, creditor: string) {
  if (!e) return void biz.unanswered++;
  const before = biz.payouts.get(refId);
  if (before?.expect === "id") {
    if (e.expect === "id" && e.id !== before.id)
      run.violations.push(`${biz.id}: refId ${refId} was accepted twice, ${before.id} and ${e.id}`);
    return;
  }
  biz.payouts.set(refId, e);
  if (e.expect === "id" && creditor === "Sandbox Hold") biz.held.push(e.id!);
}

/** A keyed request answered once is sent again: the same key and body must replay the same answer. */
async function replayCheck(run: Run, biz: Biz, path: string, json: unknown, key: string, first: Answer) {
  // Still "in progress" after every retry: there is no kept answer to replay yet, and two such
  // answers differ in their request_id (the 100,000-operation run of 2026-12-07 met three).
  if (inUse(first)) return void count(run, "replay skipped: the key was still in use after 50 retries");
  const again = await untilAnswered(() => post(run, biz, path, json, key));
  const same = again.status === first.status && JSON.stringify(again.body) === JSON.stringify(first.body);
  count(run, `replay of an answered key ${same ? "identical" : "DIFFERENT"}`);
  if (!same) run.violations.push(`${biz.id}: key ${key} first answered ${code(first)}, its replay ${code(again)}`);
}

function payoutOp(keyed: boolean, fromUser: boolean): Op["run"] {
  return async (run, biz, n) => {
    const refId = `p${n}`;
    const user = fromUser && biz.users.length ? pick(run.rnd, biz.users) : undefined;
    const init = initiation(run.rnd, refId, user);
    const key = keyed ? `pay-${n}` : undefined;
    const request = () => post(run, biz, "/api/v1/payouts", { initiation: init }, key);
    const a = keyed ? await untilAnswered(request) : await retriedWithoutKey(request);
    count(run, `payout ${code(a)}`);
    remember(run, biz, refId, expectation(a.status, a.body, key, a.retried), init.creditor.name);
    if (key && a.status < 500 && run.rnd() < 0.2) await replayCheck(run, biz, "/api/v1/payouts", { initiation: init }, key, a);
  };
}

/**
 * A batch; items answered 503 inside its 200 ("retry": the key keeps that answer) are sent again in a
 * new batch, under a new key when keyed, up to twice.
 */
function batchOp(keyed: boolean): Op["run"] {
  return async (run, biz, n) => {
    const size = 2 + Math.floor(run.rnd() * 7);
    const inits = Array.from({ length: size }, (_, i) =>
      initiation(run.rnd, `b${n}-${i}`, run.rnd() < 0.3 && biz.users.length ? pick(run.rnd, biz.users) : undefined),
    );
    // Sometimes a refId twice in one batch: at most one of the two may be accepted.
    const twice = run.rnd() < 0.2 ? size - 1 : -1;
    if (twice > 0) inits[twice]!.refId = inits[0]!.refId;
    let pending = inits.map((_, i) => i);
    let unknownTwice = false;
    for (let round = 0; pending.length && round < 3; round++) {
      const key = keyed ? `batch-${n}${round ? `-again${round}` : ""}` : undefined;
      const body = { initiations: pending.map((i) => inits[i]) };
      const request = () => post(run, biz, "/api/v1/payouts/batch", body, key);
      const a = keyed ? await untilAnswered(request) : await retriedWithoutKey(request);
      count(run, `batch ${code(a)}${round ? " (items sent again)" : ""}`);
      const again: number[] = [];
      pending.forEach((i, j) => {
        const item = a.status === 200 ? a.body.data[j] : undefined;
        const retried = a.retried || round > 0;
        if (item) count(run, `batch item ${item.status}${item.error ? ` ${item.error.code}` : ""}`);
        if (item?.status >= 500 && i !== twice) return void again.push(i);
        const e = item ? expectation(item.status, item, key, retried) : expectation(a.status, a.body, key, retried);
        if (i === twice && !e) unknownTwice = true;
        else remember(run, biz, inits[i]!.refId, e, inits[i]!.creditor.name);
      });
      if (round === 0 && key && a.status < 500 && run.rnd() < 0.2) await replayCheck(run, biz, "/api/v1/payouts/batch", body, key, a);
      pending = again;
    }
    biz.unanswered += pending.length;
    // The twin may or may not have been written: what its refId holds is then unknown.
    if (unknownTwice) biz.payouts.delete(inits[0]!.refId);
  };
}

const faultOp = (name: string, match: string, phase: "before" | "after", weight = 1): Op => ({
  name: `SQL failure ${phase} commit: ${name}`,
  weight,
  run: (run) => fault(run, match, phase),
});

export const ops: Op[] = [
  {
    name: "fund (Idempotency-Key, retried until answered)",
    weight: 8,
    async run(run, biz, n) {
      const amount = 1 + Math.floor(run.rnd() * 10_000);
      const a = await untilAnswered(() => post(run, biz, "/api/v1/balance/fund", { amount }, `fund-${biz.id}-${n}`));
      count(run, `fund ${code(a)}`);
      if (a.status === 200) biz.funded += BigInt(amount);
      else if (a.status >= 500) biz.unanswered++;
    },
  },
  {
    name: "allocation with Idempotency-Key, retried until answered",
    weight: 12,
    async run(run, biz, n) {
      const amount = 1 + Math.floor(run.rnd() * 3_000);
      const key = `alloc-${n}`;
      const body = { email: `u${Math.floor(run.rnd() * 50)}@example.com`, amount };
      const a = await untilAnswered(() => post(run, biz, "/api/v1/payout-users", body, key));
      count(run, `allocation ${code(a)}`);
      if (a.status === 200 || a.status === 201) {
        biz.allocated.set(key, amount);
        if (!biz.users.includes(a.body.data.id)) biz.users.push(a.body.data.id);
      } else if (a.status < 500) biz.refused.set(key, code(a));
      else biz.unanswered++;
    },
  },
  {
    name: "allocation without a key (an unanswered one may or may not have happened)",
    weight: 4,
    async run(run, biz) {
      const body = { email: `v${Math.floor(run.rnd() * 50)}@example.com`, amount: 1 + Math.floor(run.rnd() * 100) };
      count(run, `allocation without a key ${code(await post(run, biz, "/api/v1/payout-users", body))}`);
    },
  },
  { name: "payout from the business balance, Idempotency-Key, retried until answered", weight: 9, run: payoutOp(true, false) },
  { name: "payout from a payout user's balance, Idempotency-Key, retried", weight: 4, run: payoutOp(true, true) },
  { name: "payout without a key, retried on 5xx (refId guards)", weight: 4, run: payoutOp(false, false) },
  { name: "payout from a payout user without a key, retried on 5xx", weight: 2, run: payoutOp(false, true) },
  { name: "batch payout (2-8), Idempotency-Key, retried until answered", weight: 2, run: batchOp(true) },
  { name: "batch payout (2-8) without a key, retried on 5xx", weight: 1, run: batchOp(false) },
  {
    name: "rail events for a held payout (in order, reordered, duplicated, rejecting, two finals)",
    weight: 7,
    run: railEventsForHeldPayout,
  },
  { name: "late or replayed rail event for a settled payout", weight: 2, run: lateRailEvent },
  faultOp("ledger write (allocations, payouts from a user)", "payout_user_transactions", "before"),
  faultOp("ledger write (allocations, payouts from a user)", "payout_user_transactions", "after"),
  faultOp("fund", "payout_balance \\+", "after"),
  faultOp("payout write", "INSERT INTO payouts", "before"),
  faultOp("payout write", "INSERT INTO payouts", "after"),
  faultOp("settlement (rail event) write", "INSERT INTO rail_webhook_events", "before"),
  faultOp("settlement (rail event) write", "INSERT INTO rail_webhook_events", "after"),
  faultOp("hand-off record (submitted_at)", "SET submitted_at = now\\(\\)", "after"),
  {
    name: "Durable Object restart: the business's BalanceLedger",
    weight: 1,
    run: (run, biz) => send(run, "POST", `/__local/restart?ledger=${biz.id}`).then(() => undefined),
  },
  {
    name: "Durable Object restart: the API key's RateLimiter",
    weight: 0.5,
    run: (run, biz) => send(run, "POST", `/__local/restart?limiter=${encodeURIComponent(`key:${biz.keyId}`)}`).then(() => undefined),
  },
  {
    name: "cron (/__local/scheduled: re-hands lost hand-offs)",
    weight: 0.25,
    run: (run) => send(run, "GET", "/__local/scheduled").then(() => undefined),
  },
  {
    name: "balance read (never negative)",
    weight: 2,
    async run(run, biz) {
      const a = await send(run, "GET", "/api/v1/balance", { auth: biz.auth });
      if (a.status === 200 && (a.body.data.balance < 0 || a.body.data.allocated_total < 0))
        run.violations.push(`${biz.id}: GET /balance answered a negative balance ${JSON.stringify(a.body)}`);
    },
  },
];
