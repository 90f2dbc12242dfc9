// Workaround for a bug in @cloudflare/vitest-pool-workers 0.23 (cloudflare/workers-sdk#15092,
// fixed upstream by #15106 in the package's successor, @cloudflare/vitest-plugin): the wrapper
// classes it puts around the Worker's entrypoint (what SELF calls) and around every Durable
// Object class re-wrap their shared prototype in one more Proxy on EVERY construction. workerd
// constructs the entrypoint once per SELF.fetch, so after n requests every property lookup runs
// n nested `get` traps: the suite's cost grew with the square of its request count, and the
// ledger concurrency tests (hundreds of requests each) spent over 90% of workerd's CPU there.
//
// A constructor only ever wraps whatever `prototype` holds at that moment, and each instance
// keeps the prototype it was built with, so putting back an earlier value is safe: the next
// construction adds one layer to it again. This file puts it back whenever workerd calls a
// handler of a fresh instance (fetch, right after constructing it), before every test, and every
// 10 ms while one runs, so the chain stays one or two layers deep.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

type Ctor = { prototype: object };

/** The pool's wrapper classes: the runner's main module and its generated Durable Object module. */
async function wrapperClasses(): Promise<Ctor[]> {
  // A native import, past vite's module runner: these modules exist only in workerd's registry.
  // The pool routes `Function` through its unsafe-eval binding, so this runs inside workerd.
  const nativeImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<Record<string, unknown>>;
  const modules = await Promise.all(
    ["/index.mjs", "/__VITEST_POOL_WORKERS_USER_OBJECT"].map((s) => nativeImport(s).catch(() => ({}) as Record<string, unknown>)),
  );
  return modules
    .flatMap((m) => Object.values(m))
    .filter((v): v is Ctor => typeof v === "function" && typeof (v as Ctor).prototype === "object");
}

// Setup files run once per test file, but the wrapper classes may outlive a file (one isolate):
// capture and patch once per isolate.
const installed = Symbol.for("disburse.pool-prototype-fix");
const global = globalThis as typeof globalThis & { [installed]?: Map<Ctor, object> };
const original = (global[installed] ??= await install());

function restore(): void {
  for (const [c, prototype] of original) if (c.prototype !== prototype) c.prototype = prototype;
}

async function install(): Promise<Map<Ctor, object>> {
  const prototypes = new Map((await wrapperClasses()).map((c) => [c, c.prototype]));
  // The handlers (fetch, scheduled, queue, alarm...) are own methods of the innermost prototype;
  // a Proxy forwards ownKeys, reads and writes to it, so this patches them once for every layer.
  for (const prototype of prototypes.values()) {
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = Reflect.get(prototype, key) as unknown;
      if (key === "constructor" || typeof handler !== "function") continue;
      Reflect.set(prototype, key, function (this: unknown, ...args: unknown[]) {
        restore();
        return (handler as (...a: unknown[]) => unknown).apply(this, args);
      });
    }
  }
  return prototypes;
}

let timer: ReturnType<typeof setInterval> | undefined;
beforeAll(() => {
  restore();
  timer = setInterval(restore, 10);
});
afterAll(() => clearInterval(timer));
beforeEach(restore);
afterEach(restore);
