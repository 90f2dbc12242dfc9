// Queue or Workflows for payout submission, measured side by side in one run on one machine
// (`npm run bench -- queue-vs-workflows`). It starts its own Worker, the prototype in
// test/bench/queue-vs-workflows/ (its own wrangler config; the payout path built on a Queue, path A,
// and on Workflows, path B, against one fake rail reached over HTTP), through wrangler's
// unstable_startWorker with the inspector off, and measures for each path:
//
//   - a single payout end to end (request → rail → callback → final), QVW_SINGLES times;
//   - QVW_N payouts (1,000) handed off in one request, until all are final;
//   (both also for "A queue, no batch wait": the consumer's max_batch_timeout at 0 instead of 1 s;)
//   - the rail leaving the first 2 attempts of every payment unanswered: one payout, and QVW_TIMEOUT_N;
//   - re-handing 100 payouts that are already final (the lost-hand-off cron's worst case): how often
//     the rail is called again;
//
// with the subrequests and connections of each kind of invocation (counted in the Worker), and the
// CPU time and peak memory of the prototype's workerd processes. The database plays no part: it runs
// once, and only when asked for by name (it takes minutes). The test pool's side of the comparison
// is test/bench/queue-vs-workflows/pool.test.ts (its own vitest config, not part of `npm test`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import { type BenchContext, printTable } from "./context";
import type { StoreSummary } from "./queue-vs-workflows/worker";
import { descendants } from "./ratio";

const batchN = Number(process.env.QVW_N ?? 1000);
const singles = Number(process.env.QVW_SINGLES ?? 5);
const timeoutN = Number(process.env.QVW_TIMEOUT_N ?? 100);
const rehandN = Math.min(100, batchN);
const scenarioTimeoutMs = Number(process.env.QVW_TIMEOUT_MS ?? 900_000);
const clockTick = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

type Summary = StoreSummary;
type InvocationStats = Record<
  string,
  { invocations: number; items: number; subrequests: number; maxSubrequests: number; maxInFlight: number; maxMs: number }
>;

type TargetKey = "a" | "a0" | "b";
const labels: Record<TargetKey, string> = { a: "A queue", a0: "A queue, no batch wait", b: "B workflows" };
interface Target {
  key: TargetKey;
  path: "a" | "b";
  label: string;
  base: string;
  pids: number[];
}
const prototypeDir = join(dirname(fileURLToPath(import.meta.url)), "queue-vs-workflows");

interface Outcome {
  key: TargetKey;
  run: string;
  path: string;
  scenario: string;
  summary: Summary;
  wallMs: number;
  handOffMs: number;
  finished: boolean;
  cpuMs: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  invocations: InvocationStats;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function procStats(pids: number[]): { cpuMs: number; rssMiB: number } {
  let ticks = 0;
  let rssKiB = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      rssKiB += Number(rss?.[1] ?? 0);
    } catch {
      // exited
    }
  }
  return { cpuMs: (ticks * 1000) / clockTick, rssMiB: rssKiB / 1024 };
}

export async function queueVsWorkflowsBench(ctx: BenchContext): Promise<void> {
  if (ctx.database !== "pglite") return; // no database here: once per `npm run bench`
  if (!process.argv.slice(2).includes("queue-vs-workflows")) {
    console.log("\nqueue-vs-workflows: skipped (several minutes; run it with `npm run bench -- queue-vs-workflows`).");
    return;
  }
  const persist = mkdtempSync(join(tmpdir(), "disburse-qvw-"));
  const handles: Awaited<ReturnType<typeof unstable_startWorker>>[] = [];
  /**
   * One Worker per variant (same prototype), so that CPU time and memory belong to one path. The
   * queue variant "A, no batch wait" runs the same Worker with the consumer's max_batch_timeout at 0
   * (wrangler takes queue consumers only from the config file, so it gets a copy of it).
   */
  async function startPrototype(key: TargetKey): Promise<Target> {
    let config = join(prototypeDir, "wrangler.toml");
    if (key === "a0") {
      const toml = readFileSync(config, "utf8")
        .replace('main = "worker.ts"', `main = ${JSON.stringify(join(prototypeDir, "worker.ts"))}`)
        .replace("max_batch_timeout = 1", "max_batch_timeout = 0");
      config = join(persist, "wrangler-no-batch-wait.toml");
      writeFileSync(config, toml);
    }
    const port = await freePort();
    const before = new Set(descendants(process.pid).map((p) => p.pid));
    const worker = await unstable_startWorker({
      config,
      dev: { inspector: false, server: { hostname: "127.0.0.1", port }, persist: join(persist, key), logLevel: "error", watch: false },
    });
    handles.push(worker);
    await worker.ready;
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        // not up yet
      }
      if (i > 120) throw new Error("the prototype Worker did not come up");
      await new Promise((r) => setTimeout(r, 500));
    }
    const pids = descendants(process.pid)
      .filter((p) => /workerd/.test(p.cmd) && !before.has(p.pid))
      .map((p) => p.pid);
    return { key, path: key === "b" ? "b" : "a", label: labels[key], base, pids };
  }
  try {
    const targets: Record<TargetKey, Target> = {
      a: await startPrototype("a"),
      a0: await startPrototype("a0"),
      b: await startPrototype("b"),
    };
    console.log(
      `\nQueue (A) vs Workflows (B) for payout submission: the prototype in test/bench/queue-vs-workflows/, one Worker per variant (workerd pids ${Object.values(
        targets,
      )
        .map((t) => `${t.key}: ${t.pids.join(", ")}`)
        .join("; ")}); rail callback after 300 ms, submit timeout 1 s, retries from 1 s doubling, at most 8 attempts.`,
    );

    const post = async (t: Target, route: string) => {
      const res = await fetch(`${t.base}${route}`, { method: "POST" });
      if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ run: string; n: number; errors: string[]; singleCreate?: string | null }>;
    };
    const status = async (t: Target, run: string) =>
      (await (await fetch(`${t.base}/status?run=${run}`)).json()) as { store: Summary; invocations: InvocationStats };

    let runSeq = 0;
    /** Hands n payouts to a path and waits until every one is final (or failed). */
    async function scenario(key: TargetKey, name: string, n: number, failFirst = 0): Promise<Outcome> {
      const t = targets[key];
      const workerd = t.pids;
      await fetch(`${t.base}/reset`, { method: "POST" });
      const run = `${key}${Date.now().toString(36)}${runSeq++}`;
      const cpu0 = procStats(workerd).cpuMs;
      const rss0 = procStats(workerd).rssMiB;
      let peakRss = rss0;
      const t0 = performance.now();
      const handed = await post(t, `/${t.path}/batch?n=${n}&run=${run}&failFirst=${failFirst}`);
      const handOffMs = performance.now() - t0;
      if (handed.errors.length) console.log(`  ${t.label} ${name}: hand-off errors ${JSON.stringify(handed.errors.slice(0, 3))}`);
      let s = await status(t, run);
      const deadline = Date.now() + scenarioTimeoutMs;
      while (s.store.final < n && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, n === 1 ? 10 : 100));
        s = await status(t, run);
        peakRss = Math.max(peakRss, procStats(workerd).rssMiB);
      }
      const wallMs = performance.now() - t0;
      // Let stragglers (replays, duplicate callbacks) land before the counts are read.
      await new Promise((r) => setTimeout(r, n === 1 ? 100 : 2000));
      s = await status(t, run);
      return {
        run,
        key,
        path: t.label,
        scenario: name,
        summary: s.store,
        wallMs,
        handOffMs,
        finished: s.store.final >= n,
        cpuMs: procStats(workerd).cpuMs - cpu0,
        rssBeforeMiB: rss0,
        peakRssMiB: peakRss,
        invocations: s.invocations,
      };
    }

    const outcomes: Outcome[] = [];
    const each = async (keys: TargetKey[], name: string, n: number, failFirst = 0) => {
      for (const key of keys) {
        const o = await scenario(key, name, n, failFirst);
        outcomes.push(o);
        console.log(
          `  ${o.path.padEnd(22)} ${name.padEnd(26)} ${o.finished ? "all final" : `NOT FINISHED (${o.summary.final}/${n})`} in ${(o.wallMs / 1000).toFixed(2)} s`,
        );
      }
    };

    // Warm-up: the first instance of each class, the first queue delivery.
    const all: TargetKey[] = ["a", "a0", "b"];
    await each(all, "warm-up (1)", 1);
    outcomes.length = 0;
    const singleRuns: Outcome[] = [];
    for (let i = 0; i < singles; i++) {
      for (const key of all) singleRuns.push(await scenario(key, "single", 1));
    }
    for (const key of all) {
      const path = labels[key];
      const runs = singleRuns.filter((o) => o.key === key).sort((x, y) => x.wallMs - y.wallMs);
      const mid = runs[Math.floor(runs.length / 2)]!;
      outcomes.push({ ...mid, scenario: `single (median of ${runs.length})` });
      console.log(
        `  ${path.padEnd(22)} single, ${runs.length} runs: ${runs.map((r) => (r.wallMs / 1000).toFixed(2)).join(", ")} s (in workerd: ${runs.map((r) => r.summary.p50Ms).join(", ")} ms)`,
      );
    }
    await each(all, `batch of ${batchN}`, batchN);
    const batchRuns = outcomes.filter((o) => o.scenario === `batch of ${batchN}` && o.key !== "a0");
    await each(all, "rail times out 2× (1)", 1, 2);
    await each(all, `rail times out 2× (${timeoutN})`, timeoutN, 2);

    // Re-hand 100 payouts of each 1,000-batch that are already final: what the lost-hand-off cron would do.
    const rehandRows: Record<string, string | number>[] = [];
    for (const o of batchRuns) {
      const t = targets[o.key];
      const before = await status(t, o.run);
      const res = await post(t, `/${t.path}/rehand?n=${rehandN}&run=${o.run}`);
      await new Promise((r) => setTimeout(r, 5000));
      const after = await status(t, o.run);
      rehandRows.push({
        path: o.path,
        "re-handed": rehandN,
        "hand-off errors": res.errors.length ? `${res.errors.length}: ${res.errors[0]!.slice(0, 60)}` : 0,
        "create() of an existing id": res.singleCreate ?? "-",
        "new rail calls": after.store.railAttempts - before.store.railAttempts,
        "new final writes": after.store.duplicateFinals - before.store.duplicateFinals,
      });
    }

    printTable(
      "Queue (A) vs Workflows (B): time to final, retries through rail timeouts, exactly-once at the rail",
      outcomes.map((o) => ({
        path: o.path,
        scenario: o.scenario,
        finished: o.finished ? `${o.summary.final}/${o.summary.n}` : `NO ${o.summary.final}/${o.summary.n}`,
        "wall s": Number((o.wallMs / 1000).toFixed(2)),
        "first→last final s": o.summary.lastFinal ? Number(((o.summary.lastFinal - o.summary.firstCreated) / 1000).toFixed(2)) : "-",
        "p50/p99 ms": `${o.summary.p50Ms}/${o.summary.p99Ms}`,
        "hand-off ms": Math.round(o.handOffMs),
        "rail calls": o.summary.railAttempts,
        timeouts: o.summary.railHangs,
        replays: o.summary.railReplays,
        failed: o.summary.failed ?? 0,
        dead: o.summary.dead ?? 0,
        "workerd CPU s": Number((o.cpuMs / 1000).toFixed(1)),
        "RSS MiB before→peak": `${Math.round(o.rssBeforeMiB)}→${Math.round(o.peakRssMiB)}`,
      })),
    );
    printTable(
      `Subrequests and connections per invocation (batch of ${batchN}, and the rail timing out for ${timeoutN})`,
      outcomes
        .filter((o) => o.scenario.startsWith("batch") || o.scenario.startsWith(`rail times out 2× (${timeoutN}`))
        .flatMap((o) =>
          Object.entries(o.invocations).map(([kind, s]) => ({
            path: o.path,
            scenario: o.scenario,
            kind,
            invocations: s.invocations,
            "items/inv": Number((s.items / s.invocations).toFixed(1)),
            "subrequests avg": Number((s.subrequests / s.invocations).toFixed(1)),
            "subrequests max": s.maxSubrequests,
            "connections max": s.maxInFlight,
            "longest ms": s.maxMs,
          })),
        ),
    );
    printTable(`Re-handing ${rehandN} payouts already final (the lost-hand-off cron's worst case)`, rehandRows);
  } finally {
    await Promise.allSettled(handles.map((w) => w.dispose()));
    rmSync(persist, { recursive: true, force: true });
  }
}
