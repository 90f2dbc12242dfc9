import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type RawResult, type SqlBackend, SqlError } from "./backend";
import { FaultInjector } from "./fault-injector";
import { RoundTripStats, type RoundTrips } from "./round-trip-stats";
import { BadRequest, parseSqlRequest, type SqlRequest } from "./sql-request";

export interface SqlServerOptions {
  backend: SqlBackend;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Awaited before every POST /sql answer, to stand in for the network hop to Neon. */
  latencyMs?: number;
  log?: boolean;
}

export interface SqlServer {
  /** What `neonConfig.fetchEndpoint` should be set to. */
  url: string;
  port: number;
  stats(tag?: string): RoundTrips;
  resetStats(): void;
  /** Stops listening; the backend belongs to the caller and stays open. */
  close(): Promise<void>;
}

/**
 * The driver turns any non-400 status into `Server error (HTTP status 503): <body>`, which is
 * what a dropped connection or an unreachable Neon looks like to application code.
 */
export const INJECTED_FAULT_STATUS = 503;

/** Raised inside a faulted batch after part of it ran, so the rollback path really runs. */
const INJECTED_FAILURE = {
  query: "DO $$ BEGIN RAISE EXCEPTION 'injected fault' USING ERRCODE = 'connection_failure'; END $$",
  params: [],
};

const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface Answer {
  status: number;
  body: unknown;
  /** Plain text instead of JSON (fault answers, like a proxy's error page). */
  text?: boolean;
  headers?: Record<string, string>;
}

/**
 * Local stand-in for Neon's SQL-over-HTTP endpoint (`neonConfig.fetchEndpoint`), plus
 * test controls: round-trip stats (`/__stats`) and fault injection (`/__faults`).
 */
export async function startSqlServer(opts: SqlServerOptions): Promise<SqlServer> {
  const { backend, port = 0, host = "127.0.0.1", log = false } = opts;
  let latencyMs = opts.latencyMs ?? 0;
  const stats = new RoundTripStats();
  const faults = new FaultInjector();

  async function answerSql(req: http.IncomingMessage): Promise<{ answer: Answer; statements: number; tag?: string }> {
    let request: SqlRequest;
    try {
      request = parseSqlRequest(await readBody(req), req.headers);
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      // Still a round trip the caller paid for; there is no trustworthy tag or statement count.
      stats.record(0);
      return { answer: badRequest(err.message), statements: 0 };
    }
    const statements = request.kind === "single" ? 1 : request.queries.length;
    stats.record(statements, request.tag);

    // A fault's `match` sees each query's text and then its parameters, so a test can aim at its own
    // business (an id in the parameters) while other tests run statements of the same shape.
    const texts = () =>
      (request.kind === "single" ? [request.query] : request.queries).map((q) => `${q.query}\n${JSON.stringify(q.params)}`);
    const fault = faults.take(texts, request.tag);
    const lost = {
      status: INJECTED_FAULT_STATUS,
      body: "injected fault: the connection to the database was lost (see POST /__faults)",
      text: true,
    };
    if (fault?.phase === "before") {
      if (request.kind === "batch" && request.queries.length > 0) {
        // Fail mid-transaction: run the first half, then error, so nothing may be left behind.
        const part = request.queries.slice(0, Math.ceil(request.queries.length / 2));
        await backend.batch([...part, INJECTED_FAILURE], request.options).catch(() => undefined);
      }
      return { answer: lost, statements, tag: request.tag };
    }
    if (fault?.phase === "slow") await sleep(fault.delayMs ?? 0);

    try {
      const body =
        request.kind === "single"
          ? toWire(await backend.query(request.query), request.arrayMode)
          : { results: (await backend.batch(request.queries, request.options)).map((r) => toWire(r, request.arrayMode)) };
      // "after": the work is committed, but the caller never hears so.
      return { answer: fault?.phase === "after" ? lost : { status: 200, body }, statements, tag: request.tag };
    } catch (err) {
      // Neon answers SQL errors with 400 and the ErrorResponse fields; the driver copies them.
      if (err instanceof SqlError)
        return { answer: { status: 400, body: { message: err.message, ...err.fields } }, statements, tag: request.tag };
      throw err;
    }
  }

  async function route(req: http.IncomingMessage, url: URL): Promise<Answer> {
    switch (url.pathname) {
      case "/sql": {
        if (req.method !== "POST") return methodNotAllowed("POST");
        const started = performance.now();
        const { answer, statements, tag } = await answerSql(req);
        if (latencyMs > 0) await sleep(latencyMs);
        if (log) {
          const ms = (performance.now() - started).toFixed(1);
          console.log(`[local-sql] ${answer.status} ${statements} stmt${tag ? ` tag=${tag}` : ""} ${ms}ms`);
        }
        return answer;
      }
      case "/__stats":
        if (req.method !== "GET") return methodNotAllowed("GET");
        return { status: 200, body: stats.get(url.searchParams.get("tag") ?? undefined) };
      case "/__stats/reset":
        if (req.method !== "POST") return methodNotAllowed("POST");
        stats.reset();
        return { status: 200, body: { ok: true } };
      case "/__faults":
        if (req.method === "GET") return { status: 200, body: { faults: faults.pending() } };
        if (req.method === "DELETE") {
          faults.clear();
          return { status: 200, body: { ok: true } };
        }
        if (req.method === "POST") return addFault(faults, await readBody(req));
        return methodNotAllowed("GET, POST, DELETE");
      case "/__latency": {
        // Benchmarks change the simulated network latency between runs without a restart.
        if (req.method !== "POST") return methodNotAllowed("POST");
        const ms = Number((JSON.parse((await readBody(req)) || "{}") as { ms?: unknown }).ms);
        if (!Number.isFinite(ms) || ms < 0 || ms > 10_000) return badRequest('"ms" must be a number from 0 to 10000');
        latencyMs = ms;
        return { status: 200, body: { latency_ms: latencyMs } };
      }
      case "/health":
        if (req.method !== "GET") return methodNotAllowed("GET");
        return { status: 200, body: { ok: true, backend: backend.kind } };
      default:
        return { status: 404, body: { message: `no such endpoint: ${req.method} ${url.pathname} (POST /sql is the SQL endpoint)` } };
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    route(req, url)
      .catch((err: unknown): Answer => {
        if (err instanceof BadRequest) return badRequest(err.message);
        // Not a SQL error (backend unreachable, a bug): the driver reports it as a server error.
        console.error("[local-sql] internal error:", err);
        return { status: 500, body: `internal error: ${err instanceof Error ? err.message : String(err)}`, text: true };
      })
      .then((answer) => send(res, answer));
  });

  // workerd keeps connections alive and reuses them; a server that drops an idle one first
  // turns the next request into "Network connection lost". Outlive the client's idle timeout.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}/sql`,
    port: actualPort,
    stats: (tag) => stats.get(tag),
    resetStats: () => stats.reset(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeIdleConnections();
      }),
  };
}

function toWire(r: RawResult, arrayMode: boolean) {
  const rows = arrayMode ? r.rows : r.rows.map((row) => Object.fromEntries(r.fields.map((f, i) => [f.name, row[i] ?? null])));
  return { fields: r.fields, rows, command: r.command, rowCount: r.rowCount, rowAsArray: arrayMode };
}

function addFault(faults: FaultInjector, body: string): Answer {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return badRequest(
      'POST /__faults expects JSON {"count": number, "match"?: regex, "tag"?: string, "phase"?: "before" | "after" | "slow", "delayMs"?: number}',
    );
  }
  const {
    count,
    match,
    tag,
    phase = "before",
    delayMs,
  } = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) return badRequest('"count" must be a positive integer');
  if (match !== undefined && typeof match !== "string") return badRequest('"match" must be a regular expression string');
  if (tag !== undefined && typeof tag !== "string") return badRequest('"tag" must be a string');
  if (phase !== "before" && phase !== "after" && phase !== "slow") return badRequest('"phase" must be "before", "after" or "slow"');
  const delayOk = typeof delayMs === "number" && Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= 60_000;
  if (phase === "slow" ? !delayOk : delayMs !== undefined)
    return badRequest('"delayMs" (only with "phase": "slow") must be an integer from 0 to 60000');
  let regex: RegExp | undefined;
  try {
    regex = match === undefined ? undefined : new RegExp(match);
  } catch (err) {
    return badRequest(`"match" is not a valid regular expression: ${(err as Error).message}`);
  }
  faults.add({
    remaining: count,
    phase,
    ...(regex ? { match: regex } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(phase === "slow" ? { delayMs: delayMs as number } : {}),
  });
  return { status: 200, body: { ok: true, faults: faults.pending() } };
}

function badRequest(message: string): Answer {
  // 08P01 = protocol_violation: lets callers tell a malformed request from a SQL error.
  return { status: 400, body: { message, code: "08P01" } };
}

function methodNotAllowed(allow: string): Answer {
  return { status: 405, body: { message: `method not allowed; use ${allow}` }, headers: { allow } };
}

/** The body as text. Events, not `for await`: the async iterator cost a tenth of the server's CPU per query. */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      size > MAX_BODY_BYTES
        ? reject(new BadRequest(`request body exceeds ${MAX_BODY_BYTES} bytes`))
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, answer: Answer): void {
  const contentType = answer.text ? "text/plain; charset=utf-8" : "application/json";
  res.writeHead(answer.status, { ...answer.headers, "content-type": contentType });
  res.end(answer.text ? String(answer.body) : JSON.stringify(answer.body));
}
