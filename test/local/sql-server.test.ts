import { neon, neonConfig } from "@neondatabase/serverless";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SqlBackend } from "../../src/local/backend";
import { type SqlServer, startSqlServer } from "../../src/local/sql-server";
import { backendCases, type OpenedBackend } from "./backends";

// Conformance of the local endpoint with the real Neon driver. drizzle lives in its own file:
// drizzle-orm/neon-http globally replaces the driver's timestamptz/date parsers with identity,
// which would change what raw `neon()` returns in every later test of the same module graph.

const DB_URL = "postgres://local:local@localhost/disburse";
const TAGGED_URL = `${DB_URL}?disburse_tag=abc`;

const CREATE_LEDGER = `CREATE TABLE conf_ledger (
  id integer PRIMARY KEY,
  label text NOT NULL CONSTRAINT conf_ledger_label_key UNIQUE,
  amount numeric NOT NULL,
  cents bigint NOT NULL,
  meta jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

describe.each(backendCases)("local SQL endpoint on $name", ({ open }) => {
  let opened: OpenedBackend;
  let backend: SqlBackend;
  let server: SqlServer;
  const sql = neon(DB_URL);
  const base = () => server.url.replace(/\/sql$/, "");

  async function ledgerCount(): Promise<number> {
    const rows = await sql`SELECT count(*)::int AS n FROM conf_ledger`;
    return rows[0]?.n as number;
  }

  beforeAll(async () => {
    opened = await open();
    backend = opened.backend;
    server = await startSqlServer({ backend });
    neonConfig.fetchEndpoint = server.url;
    await backend.exec(CREATE_LEDGER);
  });

  afterAll(async () => {
    await server?.close();
    await opened?.cleanup();
  });

  beforeEach(async () => {
    neonConfig.fetchEndpoint = server.url;
    await fetch(`${base()}/__faults`, { method: "DELETE" });
    await backend.exec("TRUNCATE conf_ledger");
    server.resetStats();
  });

  it("answers /health with the backend kind", async () => {
    const res = await fetch(`${base()}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, backend: backend.kind });
  });

  it("returns rows as exact Postgres text output with type ids", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: { "Neon-Connection-String": DB_URL, "Neon-Raw-Text-Output": "true", "Neon-Array-Mode": "true" },
      body: JSON.stringify({
        query: `SELECT 1::int2, 2::int4, 9223372036854775807::int8, 123456789012345678901234567890.123456789::numeric,
          'x'::text, true, false, '{"b":[1,2.50],"a":null}'::jsonb, '2024-01-02 03:04:05.123456+02'::timestamptz,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{1,2}'::int4[], ARRAY['a b','c',NULL]::text[],
          '\\xdeadbeef'::bytea, NULL, $1::text`,
        params: ["param"],
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { fields: { dataTypeID: number }[]; rows: unknown[][] };
    expect(body.fields.map((f) => f.dataTypeID)).toEqual([21, 23, 20, 1700, 25, 16, 16, 3802, 1184, 2950, 1007, 1009, 17, 25, 25]);
    expect(body.rows).toEqual([
      [
        "1",
        "2",
        "9223372036854775807",
        "123456789012345678901234567890.123456789",
        "x",
        "t",
        "f",
        '{"a": null, "b": [1, 2.50]}',
        "2024-01-02 01:04:05.123456+00",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "{1,2}",
        '{"a b",c,NULL}',
        "\\xdeadbeef",
        null,
        "param",
      ],
    ]);
    expect(body).toMatchObject({ command: "SELECT", rowCount: 1, rowAsArray: true });
  });

  it("round-trips parameters of every type through the driver", async () => {
    const when = new Date("2024-05-06T07:08:09.123Z");
    const bytes = new Uint8Array([0, 1, 127, 128, 254, 255]);
    const [row] = await sql`SELECT
      ${7}::int2 AS i2, ${2147483647}::int4 AS i4, ${9223372036854775807n}::int8 AS i8,
      ${"12345678901234567890.123456789012345678901"}::numeric AS num, ${"héllo 'quoted' \\ text"}::text AS txt,
      ${true}::bool AS yes, ${false}::bool AS no, ${{ a: [1, "x", null], b: { c: true } }}::jsonb AS doc,
      ${when}::timestamptz AS at, ${"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}::uuid AS id,
      ${[1, -2, 3]}::int4[] AS ints, ${["a,b", 'q"uote', null, "back\\slash", ""]}::text[] AS texts,
      ${bytes}::bytea AS bin, ${null}::text AS nothing`;
    expect(row).toBeDefined();
    expect(row).toMatchObject({
      i2: 7,
      i4: 2147483647,
      i8: "9223372036854775807",
      num: "12345678901234567890.123456789012345678901",
      txt: "héllo 'quoted' \\ text",
      yes: true,
      no: false,
      doc: { a: [1, "x", null], b: { c: true } },
      id: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      ints: [1, -2, 3],
      texts: ["a,b", 'q"uote', null, "back\\slash", ""],
      nothing: null,
    });
    // A Date from the driver's own parser; raw text once drizzle has replaced that parser in this
    // process (drizzle's neon-http driver does so globally, and test files share a process).
    expect(new Date(row!.at as Date | string).toISOString()).toBe(when.toISOString());
    expect([...(row!.bin as Uint8Array)]).toEqual([...bytes]);
  });

  it("reports command and rowCount for writes (fullResults)", async () => {
    await sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'a', 1, 1), (2, 'b', 2, 2)`;
    const update = await sql.query("UPDATE conf_ledger SET cents = cents + 1", [], { fullResults: true });
    expect(update).toMatchObject({ command: "UPDATE", rowCount: 2, rows: [] });
  });

  it("commits a sql.transaction batch as one unit", async () => {
    const results = await sql.transaction([
      sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'one', '10.50', 1050) RETURNING id`,
      sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (2, 'two', '0.01', 1) RETURNING id`,
      sql`SELECT sum(amount) AS total FROM conf_ledger`,
    ]);
    expect(results).toEqual([[{ id: 1 }], [{ id: 2 }], [{ total: "10.51" }]]);
    expect(await ledgerCount()).toBe(2);
  });

  it("rolls a batch back whole when its last query fails", async () => {
    const failing = sql.transaction([
      sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'one', 1, 1)`,
      sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (2, 'two', 1, 1)`,
      sql`SELECT 1 / 0`,
    ]);
    await expect(failing).rejects.toMatchObject({ code: "22012", message: "division by zero" });
    expect(await ledgerCount()).toBe(0);
  });

  it("leaves nothing of a failed batch behind for the statements that run next or alongside it", async () => {
    const failing = () =>
      sql.transaction([sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (100, 'gone', 1, 1)`, sql`SELECT 1 / 0`], {
        isolationLevel: "Serializable",
      });
    const alongside = Array.from(
      { length: 6 },
      (_, i) => sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (${i}, ${`l${i}`}, 1, 1)`,
    );
    const settled = await Promise.allSettled([failing(), ...alongside, failing()]);
    expect(settled.map((s) => s.status)).toEqual(["rejected", ...alongside.map(() => "fulfilled"), "rejected"]);
    expect(await ledgerCount()).toBe(6);
    // Not inside the failed batch's transaction: an aborted one refuses every statement (25P02),
    // an open one would still be serializable.
    expect(await sql`SHOW transaction_isolation`).toEqual([{ transaction_isolation: "read committed" }]);
  });

  it("rolls a batch back and reports the error when its COMMIT fails (a deferred constraint)", async () => {
    await backend.exec(`CREATE TABLE IF NOT EXISTS conf_deferred (
      id integer PRIMARY KEY,
      parent integer REFERENCES conf_deferred (id) DEFERRABLE INITIALLY DEFERRED
    )`);
    const orphan = sql.transaction([
      sql`INSERT INTO conf_deferred (id, parent) VALUES (1, 99)`,
      sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'one', 1, 1)`,
    ]);
    await expect(orphan).rejects.toMatchObject({ code: "23503" });
    expect(await ledgerCount()).toBe(0);
    expect(await sql`SELECT count(*)::int AS n FROM conf_deferred`).toEqual([{ n: 0 }]);
    // The next batch commits.
    await sql.transaction([
      sql`INSERT INTO conf_deferred (id, parent) VALUES (1, NULL)`,
      sql`INSERT INTO conf_deferred (id, parent) VALUES (2, 1)`,
    ]);
    expect(await sql`SELECT count(*)::int AS n FROM conf_deferred`).toEqual([{ n: 2 }]);
    await backend.exec("DROP TABLE conf_deferred");
  });

  it("applies the batch isolation level and read-only mode", async () => {
    const [iso, ro] = await sql.transaction([sql`SHOW transaction_isolation`, sql`SHOW transaction_read_only`], {
      isolationLevel: "Serializable",
      readOnly: true,
      deferrable: true,
    });
    expect(iso).toEqual([{ transaction_isolation: "serializable" }]);
    expect(ro).toEqual([{ transaction_read_only: "on" }]);
    const write = sql.transaction([sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'x', 1, 1)`], { readOnly: true });
    await expect(write).rejects.toMatchObject({ code: "25006" });
  });

  it("surfaces a unique violation with SQLSTATE 23505 and the constraint name", async () => {
    await sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'dup', 1, 1)`;
    const err = await sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (2, 'dup', 1, 1)`.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      code: "23505",
      constraint: "conf_ledger_label_key",
      table: "conf_ledger",
      schema: "public",
      severity: "ERROR",
      detail: "Key (label)=(dup) already exists.",
    });
  });

  it("reports a syntax error with its position", async () => {
    await expect(sql.query("SELEC 1")).rejects.toMatchObject({ code: "42601", position: "1" });
  });

  it("rejects several statements in one query like Neon's extended protocol does", async () => {
    await expect(sql.query("SELECT 1; SELECT 2")).rejects.toMatchObject({ code: "42601" });
  });

  it("answers malformed requests with a clear 400", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(server.url, { method: "POST", body, headers: { "Neon-Connection-String": DB_URL, ...headers } });
    const cases: [Response, RegExp][] = [
      [await post("{not json"), /not valid JSON/],
      [await post("[1, 2]"), /must be a JSON object/],
      [await post("{}"), /"query" must be a string/],
      [await post(JSON.stringify({ query: "SELECT 1", params: "nope" })), /"params" must be an array/],
      [await post(JSON.stringify({ query: "SELECT $1", params: [{ a: 1 }] })), /params\[0\] must be a string or null/],
      [await post(JSON.stringify({ queries: "SELECT 1" })), /"queries" must be an array/],
      [await post(JSON.stringify({ queries: [{ params: [] }] })), /queries\[0\]: "query" must be a string/],
      [
        await post(JSON.stringify({ queries: [{ query: "SELECT 1", params: [] }] }), { "Neon-Batch-Isolation-Level": "Chaos" }),
        /Neon-Batch-Isolation-Level must be/,
      ],
    ];
    for (const [res, message] of cases) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
  });

  it("answers unknown paths with 404 and wrong methods with 405", async () => {
    const notFound = await fetch(`${base()}/nope`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { message: string }).message).toMatch(/no such endpoint/);
    const wrongMethod = await fetch(server.url);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  it("files a request under its Disburse-Tag header, and under a handle's own tag when it has both", async () => {
    const body = JSON.stringify({ query: "SELECT 1", params: [] });
    const post = (connectionString: string, tag: string) =>
      fetch(server.url, { method: "POST", body, headers: { "Neon-Connection-String": connectionString, "Disburse-Tag": tag } });
    expect((await post(DB_URL, "req_1")).status).toBe(200);
    expect((await post(TAGGED_URL, "req_2")).status).toBe(200);
    expect(server.stats("req_1")).toEqual({ requests: 1, statements: 1 });
    expect(server.stats("abc")).toEqual({ requests: 1, statements: 1 });
    expect(server.stats("req_2")).toEqual({ requests: 0, statements: 0 });
  });

  it("counts round trips globally and per tag, not counting control endpoints", async () => {
    const tagged = neon(TAGGED_URL);
    await tagged`SELECT 1`;
    await tagged.transaction([tagged`SELECT 1`, tagged`SELECT 2`, tagged`SELECT 3`]);
    await sql`SELECT 1`;
    await fetch(`${base()}/__stats`);

    expect(server.stats()).toEqual({ requests: 3, statements: 5 });
    expect(server.stats("abc")).toEqual({ requests: 2, statements: 4 });
    expect(await (await fetch(`${base()}/__stats`)).json()).toEqual({ requests: 3, statements: 5 });
    expect(await (await fetch(`${base()}/__stats?tag=abc`)).json()).toEqual({ requests: 2, statements: 4 });
    expect(await (await fetch(`${base()}/__stats?tag=unknown`)).json()).toEqual({ requests: 0, statements: 0 });

    const reset = await fetch(`${base()}/__stats/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(server.stats()).toEqual({ requests: 0, statements: 0 });
    expect(server.stats("abc")).toEqual({ requests: 0, statements: 0 });
  });

  it("delays answers by latencyMs", async () => {
    const slow = await startSqlServer({ backend, latencyMs: 150 });
    try {
      neonConfig.fetchEndpoint = slow.url;
      const started = performance.now();
      const rows = await sql`SELECT 1 AS one`;
      const elapsed = performance.now() - started;
      expect(rows).toEqual([{ one: 1 }]);
      expect(elapsed).toBeGreaterThanOrEqual(145);
    } finally {
      neonConfig.fetchEndpoint = server.url;
      await slow.close();
    }
  });

  it("injects faults into matching batches: the driver throws and nothing is written", async () => {
    const added = await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, match: "label_probe" }) });
    expect(added.status).toBe(200);
    const batch = () =>
      sql.transaction([
        sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'label_probe', 1, 1)`,
        sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (2, 'other', 1, 1)`,
      ]);

    await expect(sql`SELECT 'unrelated'`).resolves.toEqual([{ "?column?": "unrelated" }]);
    await expect(batch()).rejects.toThrow(/Server error \(HTTP status 503\)/);
    expect(await ledgerCount()).toBe(0);
    // The fault was used up: the same batch now goes through.
    await batch();
    expect(await ledgerCount()).toBe(2);
  });

  it("injects faults into single queries, and DELETE /__faults clears them", async () => {
    await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1 }) });
    await expect(sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'a', 1, 1)`).rejects.toThrow(/HTTP status 503/);
    expect(await ledgerCount()).toBe(0);

    await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 5 }) });
    expect(await (await fetch(`${base()}/__faults`)).json()).toHaveProperty("faults", [
      { remaining: 5, match: null, tag: null, phase: "before" },
    ]);
    await fetch(`${base()}/__faults`, { method: "DELETE" });
    expect(await ledgerCount()).toBe(0);

    const invalid = await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, match: "(" }) });
    expect(invalid.status).toBe(400);
    const badPhase = await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, phase: "during" }) });
    expect(badPhase.status).toBe(400);
  });

  it("limits a fault to one tag, and with phase 'after' commits the work but loses the answer", async () => {
    const tagged = neon(TAGGED_URL);
    await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, tag: "abc", phase: "after" }) });
    // Untagged traffic is not affected by a rule for tag "abc".
    await sql`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (1, 'untagged', 1, 1)`;
    await expect(tagged`INSERT INTO conf_ledger (id, label, amount, cents) VALUES (2, 'tagged', 1, 1)`).rejects.toThrow(/HTTP status 503/);
    expect(await ledgerCount()).toBe(2);
  });

  it("with phase 'slow' answers a matching query as usual, delayMs late, and only that one", async () => {
    const added = await fetch(`${base()}/__faults`, {
      method: "POST",
      body: JSON.stringify({ count: 1, match: "slow_probe", phase: "slow", delayMs: 1000 }),
    });
    expect(added.status).toBe(200);
    expect(await (await fetch(`${base()}/__faults`)).json()).toHaveProperty("faults", [
      { remaining: 1, match: "slow_probe", tag: null, phase: "slow", delayMs: 1000 },
    ]);
    let started = performance.now();
    await expect(sql`SELECT 'fast' AS probe`).resolves.toEqual([{ probe: "fast" }]);
    expect(performance.now() - started).toBeLessThan(900);
    started = performance.now();
    await expect(sql`SELECT 'slow_probe' AS probe`).resolves.toEqual([{ probe: "slow_probe" }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(995);

    for (const bad of [{ phase: "slow" }, { phase: "slow", delayMs: -1 }, { phase: "slow", delayMs: 60_001 }, { delayMs: 10 }]) {
      const res = await fetch(`${base()}/__faults`, { method: "POST", body: JSON.stringify({ count: 1, ...bad }) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("changes its simulated latency at run time through POST /__latency", async () => {
    const set = await fetch(`${base()}/__latency`, { method: "POST", body: JSON.stringify({ ms: 60 }) });
    expect(await set.json()).toEqual({ latency_ms: 60 });
    const started = performance.now();
    await sql`SELECT 1`;
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await fetch(`${base()}/__latency`, { method: "POST", body: JSON.stringify({ ms: 0 }) });
    expect((await fetch(`${base()}/__latency`, { method: "POST", body: JSON.stringify({ ms: -1 }) })).status).toBe(400);
  });
});
