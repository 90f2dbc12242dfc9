// `npm run bench -- bank`: random money operations over 10 businesses with SQL failures injected
// before and after commit, then the books must balance. Prints operations per second and the
// violation count (must be 0). BANK_OPS sets the number of operations (the issue asks for 100,000;
// the default suits a shared 2-core machine).
//
// What exists on this branch: funding and allocations. The payout operations (payouts, batch
// payouts, rail events, retries) go in the PAYOUT OPERATIONS table below, and their money in
// `heldAndCompletedPayouts`, when those groups are merged.
import { sql } from "drizzle-orm";
import { type BenchContext, printTable } from "./context";

const businesses = 10;
const totalOps = Number(process.env.BANK_OPS ?? 3_000);
const clients = 16;
const initialBalance = 1_000_000n;

interface Biz {
  id: string;
  auth: string;
  /** Funds confirmed by an answer (every fund carries an Idempotency-Key and is retried until answered). */
  funded: bigint;
  /** Allocation keys whose final answer was a success, and those finally refused. */
  allocated: Map<string, number>;
  /** Finally refused with a 4xx: key -> the answer. */
  refused: Map<string, string>;
  /** Still 5xx after every retry: whether it happened is unknown. */
  unanswered: number;
}

interface Op {
  name: string;
  weight: number;
  run(ctx: BenchContext, biz: Biz, rnd: () => number, n: number): Promise<void>;
}

type Answer = { status: number; body: any };

async function post(ctx: BenchContext, biz: Biz, path: string, json: unknown, key?: string): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: biz.auth, "Content-Type": "application/json" };
  if (key) headers["Idempotency-Key"] = key;
  const res = await fetch(`${ctx.baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(json) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** Retries the same request (same key, same body) until it gets a definite answer: 2xx or 4xx other than 409 in-use. */
async function untilAnswered(send: () => Promise<Answer>): Promise<Answer> {
  for (let i = 0; ; i++) {
    const a = await send();
    if (a.status < 500 && !(a.status === 409 && a.body?.error?.code === "idempotency_key_in_use")) return a;
    if (i > 50) return a;
    await new Promise((r) => setTimeout(r, 20 * Math.min(i + 1, 10)));
  }
}

async function fault(ctx: BenchContext, match: string, phase: "before" | "after") {
  await fetch(`${ctx.sqlOrigin}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, match, phase }) });
}

const ops: Op[] = [
  {
    name: "fund (Idempotency-Key, retried until answered)",
    weight: 2,
    async run(ctx, biz, rnd, n) {
      const amount = 1 + Math.floor(rnd() * 5_000);
      const key = `fund-${biz.id}-${n}`;
      const a = await untilAnswered(() => post(ctx, biz, "/api/v1/balance/fund", { amount }, key));
      if (a.status === 200) biz.funded += BigInt(amount);
      else if (a.status >= 500) biz.unanswered++;
    },
  },
  {
    name: "allocation with Idempotency-Key, retried until answered",
    weight: 5,
    async run(ctx, biz, rnd, n) {
      const amount = 1 + Math.floor(rnd() * 3_000);
      const key = `alloc-${n}`;
      const body = { email: `u${Math.floor(rnd() * 50)}@example.com`, amount };
      const a = await untilAnswered(() => post(ctx, biz, "/api/v1/payout-users", body, key));
      if (a.status === 200 || a.status === 201) biz.allocated.set(key, amount);
      else if (a.status < 500) biz.refused.set(key, `${a.status} ${a.body?.error?.code}`);
      else biz.unanswered++;
    },
  },
  {
    name: "allocation without a key (an unanswered one may or may not have happened)",
    weight: 2,
    async run(ctx, biz, rnd) {
      await post(ctx, biz, "/api/v1/payout-users", {
        email: `v${Math.floor(rnd() * 50)}@example.com`,
        amount: 1 + Math.floor(rnd() * 100),
      });
    },
  },
  {
    name: "SQL failure before commit (next ledger write)",
    weight: 1,
    run: (ctx) => fault(ctx, "payout_user_transactions", "before"),
  },
  {
    name: "SQL failure after commit (next ledger write's answer lost)",
    weight: 1,
    run: (ctx) => fault(ctx, "payout_user_transactions", "after"),
  },
  {
    name: "SQL failure after commit (next fund's answer lost)",
    weight: 1,
    run: (ctx) => fault(ctx, "payout_balance \\+", "after"),
  },
  // ---- PAYOUT OPERATIONS (the coordinator extends this after merging the payout groups) ----
  // payout, batch payout, rail event (duplicated, reordered, rejecting), retry with and without
  // Idempotency-Key, Durable Object restart.
];

/** Money held by or paid out through payouts, per business: 0 until payouts are merged. */
async function heldAndCompletedPayouts(_ctx: BenchContext, _businessId: string): Promise<bigint> {
  return 0n;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function bankCheck(ctx: BenchContext): Promise<void> {
  if (!ctx.db || !ctx.sqlOrigin) throw new Error("the bank check needs the database and the SQL server's controls");
  const seed = Number(process.env.BANK_SEED ?? Date.now() % 2 ** 31);
  const rnd = rng(seed);
  const biz: Biz[] = [];
  for (let i = 0; i < businesses; i++) {
    const b = await ctx.newBusiness({ balance: initialBalance, rateLimit: { rate: 1_000_000, burst: 1_000_000 } });
    biz.push({ id: b.businessId, auth: b.authHeader, funded: 0n, allocated: new Map(), refused: new Map(), unanswered: 0 });
  }
  const weights = ops.flatMap((op) => Array(op.weight).fill(op) as Op[]);
  const counts = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < totalOps) {
        const n = next++;
        const op = weights[Math.floor(rnd() * weights.length)]!;
        counts.set(op.name, (counts.get(op.name) ?? 0) + 1);
        await op.run(ctx, biz[Math.floor(rnd() * biz.length)]!, rnd, n);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await fetch(`${ctx.sqlOrigin}/__faults`, { method: "DELETE" }).catch(() => undefined);

  const violations: string[] = [];
  for (const b of biz) {
    const { rows } = await ctx.db.execute<{ balance: string; users: string; negatives: string; history: string }>(sql`
      SELECT (SELECT payout_balance FROM businesses WHERE id = ${b.id}) AS balance,
             (SELECT coalesce(sum(balance), 0) FROM payout_users WHERE business_id = ${b.id}) AS users,
             (SELECT count(*) FROM payout_users WHERE business_id = ${b.id} AND balance < 0) AS negatives,
             (SELECT coalesce(sum(amount), 0) FROM payout_user_transactions WHERE business_id = ${b.id}) AS history`);
    const r = rows[0]!;
    const balance = BigInt(r.balance);
    const users = BigInt(r.users);
    if (balance < 0n || Number(r.negatives) > 0) violations.push(`${b.id}: a negative balance`);
    const payouts = await heldAndCompletedPayouts(ctx, b.id);
    if (initialBalance + b.funded !== balance + users + payouts) {
      violations.push(`${b.id}: funded ${initialBalance + b.funded} != business ${balance} + users ${users} + payouts ${payouts}`);
    }
    if (BigInt(r.history) !== users) violations.push(`${b.id}: history total ${r.history} != users' balances ${users}`);
    const keyed = await ctx.db.execute<{ idempotency_key: string; n: string; amount: string }>(sql`
      SELECT idempotency_key, count(*) AS n, sum(amount) AS amount FROM payout_user_transactions
      WHERE business_id = ${b.id} AND idempotency_key IS NOT NULL GROUP BY idempotency_key`);
    const effects = new Map(keyed.rows.map((k) => [k.idempotency_key, k]));
    for (const [key, amount] of b.allocated) {
      const e = effects.get(key);
      if (!e || Number(e.n) !== 1 || Number(e.amount) !== amount)
        violations.push(`${b.id}: key ${key} answered success but has ${e?.n ?? 0} effects`);
    }
    for (const [key, answer] of b.refused)
      if (effects.has(key)) violations.push(`${b.id}: key ${key} finally refused (${answer}) but has an effect`);
  }
  printTable(`Bank check: ${totalOps} operations over ${businesses} businesses, ${clients} clients, seed ${seed} (noisy: shared machine)`, [
    ...[...counts].map(([op, n]) => ({ operation: op, count: n })),
  ]);
  const unanswered = biz.reduce((n, b) => n + b.unanswered, 0);
  console.log(
    `ops/s: ${(totalOps / seconds).toFixed(1)}; violations: ${violations.length}; keyed requests still 5xx after 50 retries: ${unanswered}`,
  );
  for (const v of violations.slice(0, 20)) console.log(`  violation: ${v}`);
  if (violations.length) process.exitCode = 1;
}
