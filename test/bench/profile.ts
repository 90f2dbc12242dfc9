// Where the Worker's CPU goes on the read path (`npm run bench -- profile`): a CPU profile of the
// Worker's isolate (DevTools' Profiler, through the runtime's own inspector) while 10 clients call
// one route, for the route that touches no database, a one-query read, a page of 50 payouts and
// payout initiations (the BalanceLedger's group commit; the queue consumer that hands the payouts to
// the sandbox rail, the rail's events and their webhooks run in the same isolate, so a payout's whole
// lifecycle is in that figure).
// Each sample's function is attributed to the module the bundle took it from (wrangler's bundle
// names each module in a comment line before its code), so the table says which part is the neon
// driver's, drizzle's, Hono's, zod's, the runtime's built-ins' and ours.
// Sampling adds its own overhead: the figures are for comparing rows, not absolute CPU per request.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type BenchContext, printTable } from "./context";
import { drive, request } from "./load";
import { seedPayouts } from "./payouts";

const clients = 10;
const warmMs = 2_000;
const runMs = Number(process.env.PROFILE_RUN_MS ?? 4_000);
const runId = Date.now().toString(36);
/** PROFILE_OUT=<dir> also writes each route's profile there. */
const outDir = process.env.PROFILE_OUT;

/** The parts of the DevTools `.cpuprofile` format read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** For each line of the bundle, the source it came from (`src/...`, `node_modules/<package>/...`). */
function moduleOfLine(bundle: string): string[] {
  let current = "(bundle)";
  return bundle.split("\n").map((line) => {
    const m = /^\/\/ ((?:\.\.\/)*(?:node_modules|src|schema)\/\S+)$/.exec(line);
    if (m?.[1]) current = m[1].replace(/^(\.\.\/)+/, "");
    return current;
  });
}

/** The group a source belongs to: Disburse's own code, or the package it came from. */
function groupOf(source: string): string {
  if (source.startsWith("src/") || source.startsWith("schema/")) return "Disburse (src/, schema/)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return m?.[1] ?? source;
}

interface Attribution {
  perGroup: Map<string, number>;
  ours: Map<string, number>;
  busyMs: number;
}

function attribute(profile: CpuProfile, lines: string[]): Attribution {
  const selfUs = new Map<number, number>();
  for (const [i, node] of profile.samples.entries()) selfUs.set(node, (selfUs.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const perGroup = new Map<string, number>();
  const ours = new Map<string, number>();
  let busyMs = 0;
  for (const { id, callFrame } of profile.nodes) {
    const ms = (selfUs.get(id) ?? 0) / 1000;
    if (!ms || callFrame.functionName === "(idle)") continue;
    busyMs += ms;
    let group: string;
    if (!callFrame.url) {
      group = /^\((program|garbage collector)\)$/.test(callFrame.functionName)
        ? "engine (compiled code's overhead, GC)"
        : "runtime built-ins (fetch, Response, JSON...)";
    } else {
      const source = lines[callFrame.lineNumber] ?? "(bundle)";
      group = groupOf(source);
      if (group.startsWith("Disburse")) {
        const key = `${callFrame.functionName || "(anonymous)"} (${source})`;
        ours.set(key, (ours.get(key) ?? 0) + ms);
      }
    }
    perGroup.set(group, (perGroup.get(group) ?? 0) + ms);
  }
  return { perGroup, ours, busyMs };
}

export async function profileBench(ctx: BenchContext): Promise<void> {
  const worker = await ctx.inspectableWorker();
  const lines = moduleOfLine(readFileSync(worker.bundle, "utf8"));
  const { businessId, authHeader } = await ctx.newBusiness({ balance: 10n ** 15n });
  await seedPayouts(ctx, businessId, 1_000);
  const routes = [
    { name: "no database (404)", path: "/api/v1/payouts/not-a-payout-id", expected: 404 },
    { name: "one-query read (balance)", path: "/api/v1/balance", expected: 200 },
    { name: "50 payouts (list)", path: "/api/v1/payouts?limit=50", expected: 200 },
    {
      name: "initiate a payout",
      path: "/api/v1/payouts",
      expected: 200,
      body: (i: number) =>
        JSON.stringify({
          initiation: {
            refId: `prof-${runId}-${i}`,
            amount: { value: "0.01", currency: "USD" },
            localInstrument: "SEPA_INSTANT",
            creditor: { name: "Bench Payee", iban: "DE89370400440532013000" },
          },
        }),
    },
  ];
  const results: { name: string; requests: number; a: Attribution }[] = [];
  for (const route of routes) {
    const url = `${worker.url}${route.path}`;
    let sent = 0;
    const send = async () =>
      (await request(url, authHeader, route.body ? { method: "POST", body: route.body(sent++) } : {})) === route.expected;
    await drive(clients, { runMs: warmMs, maxRequests: Number.MAX_SAFE_INTEGER }, send);
    let requests = 0;
    const profile = (await worker.cpuProfile(async () => {
      const r = await drive(clients, { runMs, maxRequests: Number.MAX_SAFE_INTEGER }, send);
      if (r.errors) throw new Error(`${route.name}: ${r.errors} of ${r.ok + r.errors} requests did not answer ${route.expected}`);
      requests = r.ok;
    })) as CpuProfile;
    results.push({ name: route.name, requests, a: attribute(profile, lines) });
    // For Chrome DevTools (Performance > Load profile), with the bundle alongside to read its lines.
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, `${route.name.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
      copyFileSync(worker.bundle, join(outDir, "bundle.js"));
    }
  }

  const perRequest = (r: (typeof results)[number], ms: number) => +(ms / Math.max(1, r.requests)).toFixed(3);
  const row = (group: string, ms: (r: (typeof results)[number]) => number): Record<string, string | number> => ({
    group,
    ...Object.fromEntries(results.map((r) => [r.name, perRequest(r, ms(r))])),
  });
  // Biggest first, by the last route's share.
  const last = results[results.length - 1];
  const groups = [...new Set(results.flatMap((r) => [...r.a.perGroup.keys()]))].sort(
    (x, y) => (last?.a.perGroup.get(y) ?? 0) - (last?.a.perGroup.get(x) ?? 0),
  );
  printTable(
    `The Worker's CPU per request by where the code comes from, ms (sampled; ${clients} clients, ${runMs / 1000} s per route, on ${ctx.database})`,
    [...groups.map((g) => row(g, (r) => r.a.perGroup.get(g) ?? 0)), row("all", (r) => r.a.busyMs)],
  );
  for (const r of results) {
    printTable(
      `Disburse's own functions in "${r.name}", ms per request`,
      [...r.a.ours]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 8)
        .map(([fn, ms]) => ({ function: fn, ms: perRequest(r, ms) })),
    );
  }
}
