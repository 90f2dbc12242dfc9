import { unstable_startWorker } from "wrangler";
import { settingNames } from "../env";
import { buildAssets } from "./build-assets.mjs";
import { localCronPath } from "./scheduled-trigger";

export interface LocalWorkerOptions {
  /** 0 or absent: a free port. */
  port?: number;
  hostname?: string;
  /** Worker vars (wrangler.toml's `[vars]` plus these; these win). */
  vars?: Record<string, string>;
  /** wrangler.toml environment, e.g. "payees" for the per-group Worker. */
  env?: string;
  /** Durable Object storage: a directory, false for none kept between runs, absent for wrangler's default (.wrangler/state). */
  persistTo?: string | false;
  /**
   * The DevTools inspector. Off by default: with it on, wrangler's inspector proxy turns every
   * runtime network event (several per subrequest, so per SQL round trip) into a debug-log request
   * to wrangler's Node process, which costs ~2 ms of Node CPU per subrequest at any log level.
   * DEV_INSPECTOR=1 (or a port number) turns it on for debugging with chrome://inspect.
   */
  inspector?: boolean | number;
  logLevel?: "none" | "error" | "warn" | "info" | "log" | "debug";
}

export interface LocalWorker {
  url: string;
  /** The DevTools inspector's address when it is on. */
  inspectorUrl?: string;
  /** wrangler.toml's `[triggers] crons` (of the chosen environment). */
  crons: string[];
  /** Runs the Worker's `scheduled` handler now, as that cron trigger would; throws if the handler fails. */
  scheduled(cron?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Worker of `npm run dev` and `npm run bench`: wrangler.toml's Worker (bindings, Durable
 * Objects, migrations, later Queues and crons) in workerd, through wrangler's programmatic API
 * instead of the `wrangler dev` command, which always starts the inspector.
 */
export async function startLocalWorker(opts: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const hostname = opts.hostname ?? "127.0.0.1";
  // Local runs need no real `request.cf`; fetching it from Cloudflare costs up to 3 s and, offline, a warning with a stack.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  buildAssets();
  const inspector =
    opts.inspector === undefined || opts.inspector === false
      ? false
      : { hostname: "127.0.0.1", ...(typeof opts.inspector === "number" ? { port: opts.inspector } : {}) };
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    env: opts.env,
    bindings: Object.fromEntries(Object.entries(opts.vars ?? {}).map(([name, value]) => [name, { type: "plain_text", value }])),
    dev: {
      inspector,
      server: { hostname, port: opts.port ?? 0 },
      ...(opts.persistTo === undefined ? {} : { persist: opts.persistTo }),
      watch: false,
      logLevel: opts.logLevel ?? "warn",
    },
  });
  try {
    await worker.ready;
    const url = (await worker.url).origin;
    const inspectorUrl = (await worker.inspectorUrl)?.href;
    return {
      url,
      inspectorUrl,
      crons: (worker.config.triggers ?? []).flatMap((t) => (t.type === "cron" ? [t.cron] : [])),
      // wrangler's own `worker.scheduled()` asks the proxy's Miniflare for the Worker and fails
      // ("worker not found", wrangler 4.86), and the runtime's /cdn-cgi/handler/scheduled fails
      // once the Worker has static assets: the Worker's local-only trigger runs the same handler.
      scheduled: async (cron = "* * * * *") => {
        const res = await fetch(`${url}${localCronPath}?cron=${encodeURIComponent(cron)}`);
        const outcome = await res.text();
        if (!res.ok) throw new Error(`scheduled handler for "${cron}" failed: ${res.status} ${outcome}`);
      },
      stop: () => worker.dispose(),
    };
  } catch (err) {
    await worker.dispose().catch(() => {});
    throw err;
  }
}

/** DEV_INSPECTOR: unset/0/false: off; 1/true: on (wrangler picks the port); a number: that port. */
export function inspectorFromEnv(value: string | undefined): boolean | number {
  if (!value || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`DEV_INSPECTOR must be 1, 0 or a port number, not ${JSON.stringify(value)}`);
  return port;
}

/**
 * Worker settings from the shell (AUTH_CACHE_TTL_SECONDS, LEDGER_MAX_BATCH, ...): every name the
 * Worker's config reads, except the ones the dev runner owns.
 */
export function passThroughVars(env: NodeJS.ProcessEnv, owned: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of settingNames) {
    const value = env[name];
    if (value !== undefined && !owned.includes(name)) vars[name] = value;
  }
  return vars;
}
