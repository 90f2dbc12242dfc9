// Prototype Worker for the queue-vs-workflows bench (test/bench/queue-vs-workflows.ts): the payout
// submission path built twice against the same fake rail, so that the two can be measured side by side.
//
//  A (Queue):     POST /a/batch?n=  sendBatch (≤100 per call) → consumer submits each payout to the
//                 rail, ≤ MAX_CONNECTIONS at once, msg.retry({delaySeconds}) on a timeout → the rail's
//                 callback (POST /callback) marks the payout final in the store.
//  B (Workflows): POST /b/batch?n=  createBatch (≤100 per call), one instance per payout (id = payout id)
//                 → step.do("submit", {retries}) → step.waitForEvent("final") ← the rail's callback does
//                 instance.sendEvent → step.do("mark final") marks it final in the store.
//
// The fake rail is a Durable Object per payment reached over HTTP (stub.fetch) with the payout id as its
// Idempotency-Key: a payment is created once however often it is submitted. `failFirst` makes it hold
// the first N attempts of a payment without answering (the caller's timeout turns them into 504s).
// Everything the bench reads (what is final, how often the rail was called) is kept in a Store object
// per run; subrequests per invocation are counted in this isolate (GET /status).
import { DurableObject, WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

export interface Env {
  RAIL: DurableObjectNamespace<FakeRail>;
  STORE: DurableObjectNamespace<Store>;
  SUBMISSIONS: Queue<Submission>;
  PAYOUT_WORKFLOW: Workflow<Submission>;
  RAIL_DELAY_MS?: string;
  SUBMIT_TIMEOUT_MS?: string;
  RETRY_BASE_MS?: string;
  MAX_ATTEMPTS?: string;
  MAX_CONNECTIONS?: string;
}

/** One payout handed to either path: the queue message body, or the Workflow instance's params. */
export interface Submission {
  run: string;
  payoutId: string;
  path: "a" | "b";
  /** Attempts the rail leaves unanswered before it takes the payment. */
  failFirst: number;
}

const deadQueue = "qvw-submissions-dead";
const finalEvent = "rail-final";

function settings(env: Env) {
  const num = (v: string | undefined, d: number) => (v !== undefined && Number.isFinite(Number(v)) ? Number(v) : d);
  return {
    railDelayMs: num(env.RAIL_DELAY_MS, 300),
    submitTimeoutMs: num(env.SUBMIT_TIMEOUT_MS, 1000),
    retryBaseMs: num(env.RETRY_BASE_MS, 1000),
    maxAttempts: num(env.MAX_ATTEMPTS, 8),
    maxConnections: Math.min(6, num(env.MAX_CONNECTIONS, 6)),
  };
}

const storeOf = (env: Env, run: string) => env.STORE.get(env.STORE.idFromName(run));

// ---------------------------------------------------------------------------------------------
// Subrequests per invocation, counted in this isolate (workerd runs the Worker, its consumers,
// its Workflow steps and its objects in one isolate locally).

interface KindStats {
  invocations: number;
  items: number;
  subrequests: number;
  maxSubrequests: number;
  maxInFlight: number;
  maxMs: number;
}
const stats = new Map<string, KindStats>();

/** One invocation's (or one Workflow step's) outgoing calls: fetches to the rail, store RPCs, binding calls. */
class Invocation {
  subrequests = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly started = Date.now();
  constructor(
    readonly kind: string,
    readonly items: number,
  ) {}

  async call<T>(work: () => Promise<T>): Promise<T> {
    this.subrequests++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      return await work();
    } finally {
      this.inFlight--;
    }
  }

  end(): void {
    const s = stats.get(this.kind) ?? { invocations: 0, items: 0, subrequests: 0, maxSubrequests: 0, maxInFlight: 0, maxMs: 0 };
    s.invocations++;
    s.items += this.items;
    s.subrequests += this.subrequests;
    s.maxSubrequests = Math.max(s.maxSubrequests, this.subrequests);
    s.maxInFlight = Math.max(s.maxInFlight, this.maxInFlight);
    s.maxMs = Math.max(s.maxMs, Date.now() - this.started);
    stats.set(this.kind, s);
  }
}

/** Runs `work` over `items` with at most `width` in flight. */
async function withConcurrency<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

type RailAnswer = { ok: true; id: string } | { ok: false; status: number };

/** Submits one payout to its rail object over HTTP; a rail that does not answer in time is a 504. */
async function submitToRail(env: Env, s: Submission): Promise<RailAnswer> {
  const { submitTimeoutMs } = settings(env);
  const stub = env.RAIL.get(env.RAIL.idFromName(s.payoutId));
  try {
    const res = await stub.fetch("http://rail.internal/v1/payments", {
      method: "POST",
      signal: AbortSignal.timeout(submitTimeoutMs),
      headers: { "Content-Type": "application/json", "Idempotency-Key": s.payoutId },
      body: JSON.stringify({ run: s.run, path: s.path, failFirst: s.failFirst }),
    });
    const text = await res.text();
    if (res.status === 200 || res.status === 202) return { ok: true, id: (JSON.parse(text) as { id: string }).id };
    return { ok: false, status: res.status };
  } catch {
    return { ok: false, status: 504 };
  }
}

// ---------------------------------------------------------------------------------------------
// The store: what the bench reads. One object per run, SQLite-backed.

/** A run's counts: payouts, what the rail saw (attempts, unanswered ones, replays), final ones, latencies (ms). */
export interface StoreSummary {
  n: number;
  submitted: number;
  final: number;
  failed: number;
  dead: number;
  railAttempts: number;
  railHangs: number;
  railReplays: number;
  duplicateFinals: number;
  firstCreated: number;
  lastFinal: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export class Store extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS p (
      id TEXT PRIMARY KEY, created INTEGER NOT NULL,
      rail_attempts INTEGER NOT NULL DEFAULT 0, rail_hangs INTEGER NOT NULL DEFAULT 0, rail_replays INTEGER NOT NULL DEFAULT 0,
      submitted INTEGER, final INTEGER, status TEXT, finals INTEGER NOT NULL DEFAULT 0, dead INTEGER NOT NULL DEFAULT 0)`);
  }

  register(ids: string[], at: number): void {
    for (const id of ids) this.ctx.storage.sql.exec("INSERT OR IGNORE INTO p (id, created) VALUES (?, ?)", id, at);
  }

  /** The ids among these that the rail has already taken (or that are already final). */
  alreadySubmitted(ids: string[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      const row = this.ctx.storage.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM p WHERE id = ? AND (submitted IS NOT NULL OR final IS NOT NULL)", id)
        .one();
      if (row.n) out.push(id);
    }
    return out;
  }

  /** Called by the rail on every submission it receives. */
  railAttempt(id: string, outcome: "hang" | "accepted" | "replayed"): void {
    this.ctx.storage.sql.exec(
      "UPDATE p SET rail_attempts = rail_attempts + 1, rail_hangs = rail_hangs + ?, rail_replays = rail_replays + ? WHERE id = ?",
      outcome === "hang" ? 1 : 0,
      outcome === "replayed" ? 1 : 0,
      id,
    );
  }

  markSubmitted(ids: string[], at: number): void {
    for (const id of ids) this.ctx.storage.sql.exec("UPDATE p SET submitted = coalesce(submitted, ?) WHERE id = ?", at, id);
  }

  markFinal(id: string, status: string, at: number): void {
    this.ctx.storage.sql.exec(
      "UPDATE p SET final = coalesce(final, ?), status = coalesce(status, ?), finals = finals + 1 WHERE id = ?",
      at,
      status,
      id,
    );
  }

  markDead(id: string): void {
    this.ctx.storage.sql.exec("UPDATE p SET dead = dead + 1 WHERE id = ?", id);
  }

  summary(): StoreSummary {
    const sql = this.ctx.storage.sql;
    const totals = sql
      .exec<Omit<StoreSummary, "p50Ms" | "p99Ms" | "maxMs">>(
        `SELECT count(*) AS n, count(submitted) AS submitted, count(final) AS final,
          sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed, sum(dead) AS dead,
          sum(rail_attempts) AS railAttempts, sum(rail_hangs) AS railHangs, sum(rail_replays) AS railReplays,
          sum(CASE WHEN finals > 1 THEN finals - 1 ELSE 0 END) AS duplicateFinals,
          min(created) AS firstCreated, max(final) AS lastFinal
         FROM p`,
      )
      .one();
    const latencies = sql
      .exec<{ ms: number }>("SELECT final - created AS ms FROM p WHERE final IS NOT NULL ORDER BY ms")
      .toArray()
      .map((r) => r.ms);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
    return { ...totals, p50Ms: pct(50), p99Ms: pct(99), maxMs: latencies.at(-1) ?? null };
  }
}

// ---------------------------------------------------------------------------------------------
// The fake rail: one object per payment (idempotency key = our payout id), reached over HTTP.

interface RailPayment {
  run: string;
  payoutId: string;
  path: "a" | "b";
  attempts: number;
  id: string | null;
  callbacksFailed: number;
}

export class FakeRail extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const key = request.headers.get("Idempotency-Key");
    if (!key) return Response.json({ error: "Idempotency-Key is required" }, { status: 400 });
    const body = (await request.json()) as { run: string; path: "a" | "b"; failFirst?: number };
    const p: RailPayment = (await this.ctx.storage.get<RailPayment>("p")) ?? {
      run: body.run,
      payoutId: key,
      path: body.path,
      attempts: 0,
      id: null,
      callbacksFailed: 0,
    };
    p.attempts++;
    const store = storeOf(this.env, p.run);
    if (p.attempts <= (body.failFirst ?? 0)) {
      await this.ctx.storage.put("p", p);
      await store.railAttempt(key, "hang");
      // Does not answer: the caller's timeout ends its wait long before this.
      await new Promise((r) => setTimeout(r, settings(this.env).submitTimeoutMs * 3));
      return Response.json({ error: "timed out" }, { status: 504 });
    }
    const replayed = p.id !== null;
    if (!replayed) {
      p.id = `fr_${crypto.randomUUID().replaceAll("-", "")}`;
      await this.ctx.storage.setAlarm(Date.now() + settings(this.env).railDelayMs);
    }
    await this.ctx.storage.put("p", p);
    await store.railAttempt(key, replayed ? "replayed" : "accepted");
    return Response.json({ id: p.id, status: "received", replayed }, { status: replayed ? 200 : 202 });
  }

  /** The rail's callback to us, through this Worker's own HTTP entry point; retried with backoff on failure. */
  override async alarm(): Promise<void> {
    const p = await this.ctx.storage.get<RailPayment>("p");
    if (!p?.id) return;
    let status = 0;
    try {
      const res = await (this.ctx as unknown as { exports: { default: Fetcher } }).exports.default.fetch("http://qvw.internal/callback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ run: p.run, payoutId: p.payoutId, path: p.path, railPaymentId: p.id, status: "settled" }),
      });
      await res.body?.cancel();
      status = res.status;
    } catch (err) {
      console.error("fake rail: callback failed", err);
    }
    if (status >= 200 && status < 300) return;
    if (++p.callbacksFailed < 8) {
      await this.ctx.storage.put("p", p);
      await this.ctx.storage.setAlarm(Date.now() + Math.min(500 * 2 ** p.callbacksFailed, 30_000));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Path B: one Workflow instance per payout.

export class PayoutWorkflow extends WorkflowEntrypoint<Env, Submission> {
  override async run(event: Readonly<WorkflowEvent<Submission>>, step: WorkflowStep): Promise<{ status: string }> {
    const s = event.payload;
    const cfg = settings(this.env);
    const store = storeOf(this.env, s.run);
    try {
      await step.do(
        "submit",
        { retries: { limit: cfg.maxAttempts - 1, delay: cfg.retryBaseMs, backoff: "exponential" }, timeout: "1 minute" },
        async () => {
          const inv = new Invocation("B: workflow step submit", 1);
          try {
            const answer = await inv.call(() => submitToRail(this.env, s));
            if (!answer.ok) throw new Error(`the rail answered ${answer.status}`);
            await inv.call(() => store.markSubmitted([s.payoutId], Date.now()));
            return { railPaymentId: answer.id };
          } finally {
            inv.end();
          }
        },
      );
    } catch {
      // Out of attempts: the payout fails (in Disburse, its hold would be given back here).
      await step.do("give up", async () => {
        await store.markFinal(s.payoutId, "failed", Date.now());
      });
      return { status: "failed" };
    }
    const final = await step.waitForEvent<{ status: string }>("final", { type: finalEvent, timeout: "1 hour" });
    await step.do("mark final", async () => {
      const inv = new Invocation("B: workflow step mark final", 1);
      await inv.call(() => store.markFinal(s.payoutId, final.payload.status, Date.now()));
      inv.end();
    });
    return { status: final.payload.status };
  }
}

// ---------------------------------------------------------------------------------------------
// Path A: the queue consumer.

async function consume(batch: MessageBatch<Submission>, env: Env): Promise<void> {
  if (batch.queue === deadQueue) {
    for (const m of batch.messages) {
      await storeOf(env, m.body.run).markDead(m.body.payoutId);
      m.ack();
    }
    return;
  }
  const cfg = settings(env);
  const inv = new Invocation("A: queue consumer", batch.messages.length);
  const byRun = new Map<string, Message<Submission>[]>();
  for (const m of batch.messages) byRun.set(m.body.run, [...(byRun.get(m.body.run) ?? []), m]);
  for (const [run, messages] of byRun) {
    const store = storeOf(env, run);
    // Read before submitting: a re-handed or redelivered payout the rail already took is not sent again.
    let taken: Set<string>;
    try {
      taken = new Set(await inv.call(() => store.alreadySubmitted(messages.map((m) => m.body.payoutId))));
    } catch {
      for (const m of messages) m.retry({ delaySeconds: Math.round(cfg.retryBaseMs / 1000) });
      continue;
    }
    const accepted: Message<Submission>[] = [];
    await withConcurrency(messages, cfg.maxConnections, async (m) => {
      if (taken.has(m.body.payoutId)) return m.ack();
      if (m.attempts > cfg.maxAttempts) {
        await inv.call(() => store.markFinal(m.body.payoutId, "failed", Date.now()));
        return m.ack();
      }
      const answer = await inv.call(() => submitToRail(env, m.body));
      if (answer.ok) accepted.push(m);
      else m.retry({ delaySeconds: Math.round((cfg.retryBaseMs / 1000) * 2 ** (m.attempts - 1)) });
    });
    if (accepted.length) {
      try {
        await inv.call(() =>
          store.markSubmitted(
            accepted.map((m) => m.body.payoutId),
            Date.now(),
          ),
        );
        for (const m of accepted) m.ack();
      } catch {
        for (const m of accepted) m.retry({ delaySeconds: 1 });
      }
    }
  }
  inv.end();
}

// ---------------------------------------------------------------------------------------------
// HTTP: the bench's controls, and the rail's callback (the "webhook").

function payouts(url: URL, path: "a" | "b"): Submission[] {
  const n = Math.max(1, Math.min(10_000, Number(url.searchParams.get("n") ?? 1)));
  const run = url.searchParams.get("run") ?? `${path}${Date.now().toString(36)}`;
  const failFirst = Number(url.searchParams.get("failFirst") ?? 0);
  return Array.from({ length: n }, (_, i) => ({ run, payoutId: `${run}-${i}`, path, failFirst }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function handOff(env: Env, path: "a" | "b", list: Submission[], inv: Invocation): Promise<string[]> {
  const errors: string[] = [];
  for (const piece of chunks(list, 100)) {
    try {
      if (path === "a") await inv.call(() => env.SUBMISSIONS.sendBatch(piece.map((body) => ({ body }))));
      else await inv.call(() => env.PAYOUT_WORKFLOW.createBatch(piece.map((params) => ({ id: params.payoutId, params }))));
    } catch (err) {
      errors.push(String(err));
    }
  }
  return errors;
}

async function handle(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const route = `${request.method} ${url.pathname}`;
  if (route === "GET /health") return new Response("ok");

  const batch = /^POST \/(a|b)\/batch$/.exec(route);
  if (batch) {
    const path = batch[1] as "a" | "b";
    const list = payouts(url, path);
    const inv = new Invocation(`${path.toUpperCase()}: hand-off request`, list.length);
    await inv.call(() =>
      storeOf(env, list[0]!.run).register(
        list.map((s) => s.payoutId),
        Date.now(),
      ),
    );
    const errors = await handOff(env, path, list, inv);
    inv.end();
    return Response.json({ run: list[0]!.run, n: list.length, subrequests: inv.subrequests, ms: Date.now() - inv.started, errors });
  }

  // Re-hands payouts that were already handed off (what a cron that thinks a hand-off was lost does).
  const rehand = /^POST \/(a|b)\/rehand$/.exec(route);
  if (rehand) {
    const path = rehand[1] as "a" | "b";
    const list = payouts(url, path);
    const inv = new Invocation(`${path.toUpperCase()}: re-hand request`, list.length);
    const errors = await handOff(env, path, list, inv);
    let singleCreate: string | null = null;
    if (path === "b") {
      try {
        await env.PAYOUT_WORKFLOW.create({ id: list[0]!.payoutId, params: list[0]! });
        singleCreate = "no error";
      } catch (err) {
        singleCreate = String(err);
      }
    }
    inv.end();
    return Response.json({ n: list.length, errors, singleCreate });
  }

  if (route === "POST /callback") {
    const ev = (await request.json()) as { run: string; payoutId: string; path: "a" | "b"; status: string };
    const inv = new Invocation(`${ev.path.toUpperCase()}: rail callback`, 1);
    try {
      if (ev.path === "a") await inv.call(() => storeOf(env, ev.run).markFinal(ev.payoutId, ev.status, Date.now()));
      else {
        // An event for an instance that does not exist (any more) is a 404: the rail retries it, then gives up.
        const instance = await inv.call(() => env.PAYOUT_WORKFLOW.get(ev.payoutId)).catch(() => null);
        if (!instance) return Response.json({ error: "no such payout" }, { status: 404 });
        await inv.call(() => instance.sendEvent({ type: finalEvent, payload: { status: ev.status } }));
      }
    } finally {
      inv.end();
    }
    return new Response(null, { status: 204 });
  }

  if (route === "GET /status") {
    const run = url.searchParams.get("run");
    return Response.json({
      store: run ? await storeOf(env, run).summary() : null,
      invocations: Object.fromEntries(stats),
    });
  }
  if (route === "POST /reset") {
    stats.clear();
    return new Response(null, { status: 204 });
  }
  if (route === "GET /b/instance") {
    const instance = await env.PAYOUT_WORKFLOW.get(url.searchParams.get("id") ?? "");
    return Response.json(await instance.status());
  }
  return Response.json({ error: "no such route" }, { status: 404 });
}

export default {
  fetch: handle,
  queue: consume,
} satisfies ExportedHandler<Env, Submission>;
