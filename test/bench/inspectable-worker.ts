// A Worker as `npm run bench` runs it (Disburse, or the soak's minimal baseline), but started
// through Miniflare's API with the runtime's DevTools inspector open, for measuring the Worker's
// own JavaScript heap (the soak bench) and where its CPU time goes (the profile bench).
//
// Why not wrangler's unstable_startWorker, as every other bench: with its inspector on, wrangler's
// inspector proxy enables `Network` on the runtime and posts a debug-log request to wrangler's Node
// process for every inspector message (see run.ts), and under the soak's 64 clients the runtime ran
// out of file descriptors. Miniflare's own inspector proxy only relays messages, and only while a
// client is attached. The Worker is the same: wrangler bundles it (`wrangler deploy --dry-run`) and
// reads its bindings from wrangler.toml (`unstable_getMiniflareWorkerOptions`), as its dev command does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Miniflare, fetch as upgrade } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

export interface InspectableWorker {
  url: string;
  /** The bundle the runtime runs (wrangler's output), while the Worker runs: a profile's line numbers are its lines. */
  bundle: string;
  /** The runtime's process ids (workerd), for its resident memory. */
  pids: number[];
  /**
   * The Worker isolate's memory in use (its JavaScript heap, the runtime's objects on it and the
   * contents of ArrayBuffers), in bytes, right after a full garbage collection.
   * workerd ignores `HeapProfiler.collectGarbage`, but V8 collects before it takes a heap snapshot,
   * so this takes one (its chunks are discarded) and then reads `Runtime.getHeapUsage`.
   */
  heapAfterGc(): Promise<number>;
  /** The same now, garbage included (no collection, cheap): the trend in between. */
  heapUsed(): Promise<number>;
  /** A CPU profile of the Worker's isolate (DevTools' `Profiler`, the `.cpuprofile` format) while `work` runs. */
  cpuProfile(work: () => Promise<unknown>): Promise<unknown>;
  dispose(): Promise<void>;
}

/** V8's answer to `Runtime.getHeapUsage`; the last two are newer fields, absent from older runtimes. */
interface HeapUsage {
  usedSize: number;
  embedderHeapUsedSize?: number;
  backingStorageSize?: number;
}

/** The isolate's memory: its JavaScript heap, the runtime's objects on it, and ArrayBuffers' contents. */
const isolateBytes = (u: HeapUsage) => u.usedSize + (u.embedderHeapUsedSize ?? 0) + (u.backingStorageSize ?? 0);

/** The Worker of the wrangler configuration `config`, with these vars; `descendantPids`: this process's, to find its runtime. */
export async function startInspectableWorker(
  config: string,
  vars: Record<string, string>,
  descendantPids: () => number[],
): Promise<InspectableWorker> {
  const outdir = mkdtempSync(join(tmpdir(), "disburse-inspectable-"));
  // Its output is kept for the error if it fails (execFileSync puts stderr on the error it throws).
  execFileSync("node_modules/.bin/wrangler", ["deploy", "--dry-run", "--config", config, "--outdir", outdir], { stdio: "pipe" });
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(config);
  const { name } = unstable_readConfig({ config });
  if (!main || !name) throw new Error(`${config} names no Worker (main and name)`);
  // wrangler writes the bundle under the entry's own name, as .js.
  const bundle = join(outdir, basename(main).replace(/\.[cm]?[jt]s$/, ".js"));
  const before = new Set(descendantPids());
  const mf = new Miniflare({
    ...workerOptions,
    name,
    modules: true,
    scriptPath: bundle,
    modulesRoot: outdir,
    bindings: { ...workerOptions.bindings, ...vars },
    host: "127.0.0.1",
    port: 0,
    inspectorPort: 0,
  } as ConstructorParameters<typeof Miniflare>[0]);
  const url = (await mf.ready).href.replace(/\/$/, "");
  const pids = descendantPids().filter((p) => !before.has(p));
  const inspector = new URL(await mf.getInspectorURL());
  // The runtime lists one isolate per Worker, Miniflare's own (its entry, queue broker, assets...) among them.
  const targets = (await (await fetch(`http://${inspector.host}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl.endsWith(`/core:user:${name}`));
  if (!target)
    throw new Error(`the runtime's inspector does not list the Worker: ${JSON.stringify(targets.map((t) => t.webSocketDebuggerUrl))}`);
  // Miniflare's fetch opens WebSockets (Node 20 has no WebSocket client of its own without a flag).
  const ws = (await upgrade(target.webSocketDebuggerUrl.replace(/^ws:/, "http:"), { headers: { Upgrade: "websocket" } })).webSocket;
  if (!ws) throw new Error("the runtime's inspector refused the WebSocket");
  ws.accept();
  let nextId = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const waiting = message.id === undefined ? undefined : pending.get(message.id);
    if (!waiting || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(`inspector: ${message.error.message}`));
    else waiting.resolve(message.result);
  });
  // A runtime that went away answers nothing more: what is still waiting fails instead of hanging.
  ws.addEventListener("close", () => {
    for (const waiting of pending.values()) waiting.reject(new Error("the runtime's inspector closed"));
    pending.clear();
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (result) => resolve(result as T), reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  const heapUsed = async () => isolateBytes(await send<HeapUsage>("Runtime.getHeapUsage"));
  return {
    url,
    bundle,
    pids,
    async heapAfterGc() {
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      return heapUsed();
    },
    heapUsed,
    async cpuProfile(work) {
      await send("Profiler.enable");
      await send("Profiler.start");
      try {
        await work();
      } catch (err) {
        await send("Profiler.stop");
        throw err;
      }
      return (await send<{ profile: unknown }>("Profiler.stop")).profile;
    },
    async dispose() {
      ws.close();
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
