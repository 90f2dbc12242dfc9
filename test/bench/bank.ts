// `npm run bench -- bank`: random money operations over 10 businesses (funding, allocations, payouts
// and batch payouts from the business and from payout users' balances, rail events in order,
// duplicated, reordered and rejecting, retries with and without Idempotency-Key), with SQL failures
// injected before and after commit and Durable Object restarts; then, once the queue, the rail and the
// cron have settled every payout, the books must balance (bank-invariants.ts). Prints operations per
// second and the violation count (must be 0; exit code 1 otherwise).
//
// BANK_OPS sets the number of operations (the issue asks for 100,000; the default suits a shared
// 2-core machine), BANK_CLIENTS the concurrency, BANK_SEED the random seed, BANK_SETTLE_SECONDS how
// long to wait for the lifecycle to settle, BANK_ONLY a regular expression that narrows the operations.
import { sql } from "drizzle-orm";
import { type Biz, type Run, rng } from "./bank-client";
import { checkBusiness, checkHeldFinals, checkLiveness, payoutStatuses, waitUntilSettled } from "./bank-invariants";
import { type Op, ops } from "./bank-ops";
import { type BenchContext, printTable } from "./context";

const businesses = 10;
const totalOps = Number(process.env.BANK_OPS ?? 3_000);
const clients = Number(process.env.BANK_CLIENTS ?? 16);
const settleSeconds = Number(process.env.BANK_SETTLE_SECONDS ?? 300);
const initialBalance = 1_000_000n;
const graceSeconds = 60;

/**
 * The check runs on a Worker of its own (same database), whose lifecycle runs at bench speed: rail
 * events 100 ms apart, a submission that the rail does not answer within 1 s is retried after 1 s,
 * 2 s, and failed after 3 attempts ("Sandbox Timeout" settles in seconds instead of 8 minutes).
 * The hand-off grace stays at production's 60 s: the cron re-hands every payout still unsubmitted
 * after it, including those the queue is still retrying, and each re-hand starts another chain of
 * submissions; at 30 s, with the local queue lagging, "Sandbox Timeout" payouts were re-handed
 * faster than their chains could fail them, and their timeouts took over the consumer.
 */
const lifecycleVars = {
  SANDBOX_RAIL_DELAY_MS: "100",
  RAIL_SUBMIT_TIMEOUT_MS: "1000",
  RAIL_RETRY_BASE_SECONDS: "1",
  RAIL_MAX_ATTEMPTS: "3",
  HANDOFF_GRACE_SECONDS: String(graceSeconds),
};

/** Picks an operation by weight (weights may be fractions). */
function chooser(table: Op[]): (r: number) => Op {
  const total = table.reduce((sum, op) => sum + op.weight, 0);
  return (r) => {
    let x = r * total;
    for (const op of table) if ((x -= op.weight) < 0) return op;
    return table.at(-1)!;
  };
}

export async function bankCheck(ctx: BenchContext): Promise<void> {
  if (!ctx.db || !ctx.sqlOrigin) throw new Error("the bank check needs the database and the SQL server's controls");
  const seed = Number(process.env.BANK_SEED ?? Date.now() % 2 ** 31);
  const run: Run = {
    ctx,
    base: await ctx.workerWith(lifecycleVars),
    rnd: rng(seed),
    violations: [],
    heldFinal: new Map(),
    outcomes: new Map(),
  };
  const biz: Biz[] = [];
  for (let i = 0; i < businesses; i++) {
    const b = await ctx.newBusiness({ balance: initialBalance, rateLimit: { rate: 1_000_000, burst: 1_000_000 } });
    const { rows } = await ctx.db.execute<{ id: string }>(sql`SELECT id FROM api_keys WHERE business_id = ${b.businessId}`);
    biz.push({
      id: b.businessId,
      auth: b.authHeader,
      keyId: rows[0]!.id,
      funded: 0n,
      allocated: new Map(),
      refused: new Map(),
      unanswered: 0,
      users: [],
      payouts: new Map(),
      held: [],
      settled: [],
    });
  }
  // BANK_ONLY (a regular expression over operation names) narrows the mix, to chase one violation.
  const only = process.env.BANK_ONLY ? new RegExp(process.env.BANK_ONLY, "i") : undefined;
  const table = only ? ops.filter((op) => only.test(op.name)) : ops;
  const choose = chooser(table);
  const counts = new Map<string, number>(table.map((op) => [op.name, 0]));
  let next = 0;
  const started = performance.now();
  let lastReport = started;
  let reported = 0;
  // The seed first, and each violation in the progress line after it is found: a long run that
  // breaks an invariant early can be chased (BANK_SEED, BANK_ONLY) without waiting for its end.
  console.log(`Bank check: seed ${seed}, ${totalOps} operations, ${clients} clients`);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < totalOps) {
        const n = next++;
        const op = choose(run.rnd());
        counts.set(op.name, counts.get(op.name)! + 1);
        await op.run(run, biz[Math.floor(run.rnd() * biz.length)]!, n);
        if (performance.now() - lastReport > 60_000) {
          lastReport = performance.now();
          const s = (lastReport - started) / 1000;
          console.log(
            `  ${next} operations in ${s.toFixed(0)} s (${(next / s).toFixed(1)}/s), violations so far: ${run.violations.length}`,
          );
          for (const v of run.violations.slice(reported)) console.log(`  violation: ${v}`);
          reported = run.violations.length;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await fetch(`${ctx.sqlOrigin}/__faults`, { method: "DELETE" }).catch(() => undefined);

  const ids = biz.map((b) => b.id);
  const settled = await waitUntilSettled(run, ids, graceSeconds, settleSeconds);
  await checkLiveness(run, ids, graceSeconds);
  for (const b of biz) await checkBusiness(run, b, initialBalance);
  await checkHeldFinals(run);

  printTable(`Bank check: ${totalOps} operations over ${businesses} businesses, ${clients} clients, seed ${seed} (noisy: shared machine)`, [
    ...[...counts].map(([operation, count]) => ({ operation, count })),
  ]);
  printTable(
    "Outcomes",
    [...run.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([outcome, count]) => ({ outcome, count })),
  );
  console.log(`Payouts by status: ${JSON.stringify(await payoutStatuses(ctx.db, ids))}`);
  console.log(
    `Settled after the run in ${settled.seconds.toFixed(0)} s (cron fired ${settled.crons} times)${settled.left ? `; still owed by the queue or the rail: ${settled.owed}` : ""}`,
  );
  const unanswered = biz.reduce((n, b) => n + b.unanswered, 0);
  console.log(
    `ops/s: ${(totalOps / seconds).toFixed(1)} (${totalOps} in ${seconds.toFixed(0)} s); violations: ${run.violations.length}; requests without a definite answer after 50 retries (5xx, or the key still in use): ${unanswered}`,
  );
  for (const v of run.violations.slice(0, 30)) console.log(`  violation: ${v}`);
  if (run.violations.length) process.exitCode = 1;
}
