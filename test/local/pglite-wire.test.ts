import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFresh } from "../../src/local/backends/pglite";
import { PgliteWire } from "../../src/local/backends/pglite-wire";

// The PGlite wire path parses each parameterized SQL text once, as a named prepared statement
// (src/local/backends/pglite-wire.ts). These check that the cache never changes an answer.
describe("PGlite wire path: prepared statements", () => {
  // One cluster for the file, from the fresh-cluster dump (an initdb costs seconds); each test
  // starts from the same table and no prepared statements.
  let db: PGlite;
  beforeAll(async () => {
    db = await createFresh();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.exec(`DEALLOCATE ALL; DROP TABLE IF EXISTS t;
      CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 10) g`);
  });

  const byId = { query: "SELECT * FROM t WHERE id = $1", params: ["3"] };
  const preparedCount = async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements")).rows[0]?.n;

  it("prepares a parameterized text once and binds it afterwards, with the same answers", async () => {
    const wire = new PgliteWire(db);
    for (let i = 1; i <= 10; i++) {
      const [r] = await wire.run([{ query: byId.query, params: [String(i)] }]);
      expect(r?.rows).toEqual([[String(i), `v${i}`]]);
    }
    expect(await preparedCount()).toBe(1);
    // Planned for its parameters every time, as Neon plans its unnamed statements (auto mode would
    // have settled on a generic plan after five executions).
    expect((await db.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements")).rows).toEqual([
      { generic_plans: 0, custom_plans: 10 },
    ]);
    // Texts without parameters stay unnamed.
    await wire.run([{ query: "SELECT 1", params: [] }]);
    expect(await preparedCount()).toBe(1);
  });

  it("answers a table changed under a prepared statement (new result type) by preparing it again", async () => {
    const wire = new PgliteWire(db);
    await wire.run([byId]);
    await db.exec("ALTER TABLE t ADD COLUMN w text DEFAULT 'w'");
    const [r] = await wire.run([byId]);
    expect(r?.fields.map((f) => f.name)).toEqual(["id", "v", "w"]);
    expect(r?.rows).toEqual([["3", "v3", "w"]]);
  });

  it("answers after the statements were deallocated behind its back", async () => {
    const wire = new PgliteWire(db);
    await wire.run([byId]);
    await db.exec("DEALLOCATE ALL");
    expect((await wire.run([byId]))[0]?.rows).toEqual([["3", "v3"]]);
  });

  it("keeps statements parsed in a batch that then failed, and parses those it never reached", async () => {
    const wire = new PgliteWire(db);
    const insert = { query: "INSERT INTO t (id, v) VALUES ($1, $2)", params: ["11", "x"] };
    const duplicate = { query: "INSERT INTO t (id, v) VALUES ($1, 'dup')", params: ["1"] };
    const later = { query: "UPDATE t SET v = $1 WHERE id = $2", params: ["y", "2"] };
    await expect(wire.run([insert, duplicate, later], "")).rejects.toMatchObject({ code: "23505" });
    // Rolled back whole; the next batch binds the kept statements and parses the rest.
    expect((await db.query("SELECT count(*)::int AS n FROM t")).rows).toEqual([{ n: 10 }]);
    const results = await wire.run([insert, later], "");
    expect(results.map((r) => r.rowCount)).toEqual([1, 1]);
    expect((await db.query("SELECT v FROM t WHERE id IN (2, 11) ORDER BY id")).rows).toEqual([{ v: "y" }, { v: "x" }]);
  });

  it("uses one statement for a text repeated within a message", async () => {
    const wire = new PgliteWire(db);
    const results = await wire.run([byId, { ...byId, params: ["4"] }, { ...byId, params: ["5"] }], "");
    expect(results.map((r) => r.rows[0]?.[0])).toEqual(["3", "4", "5"]);
    expect(await preparedCount()).toBe(1);
  });

  it("closes the least recently used statements beyond its bound", async () => {
    const wire = new PgliteWire(db, 2);
    const texts = [1, 2, 3, 4, 5].map((k) => ({ query: `SELECT v, ${k} AS k FROM t WHERE id = $1`, params: [String(k)] }));
    for (const q of texts) await wire.run([q]);
    // Three evicted, closed at the start of the next message: at most the bound stays prepared.
    await wire.run([texts[4]!]);
    expect(await preparedCount()).toBe(2);
    for (const [i, q] of texts.entries()) expect((await wire.run([q]))[0]?.rows).toEqual([[`v${i + 1}`, String(i + 1)]]);
    expect(await preparedCount()).toBeLessThanOrEqual(3);
  });

  it("keeps nothing of the answers it returned (PGlite's execProtocolRaw kept every parsed message)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heapMiB = () => {
      gc();
      return process.memoryUsage().heapUsed / 2 ** 20;
    };
    const wire = new PgliteWire(db);
    await db.exec("INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(11, 60) g");
    const fifty = { query: "SELECT * FROM t WHERE id > $1", params: ["10"] };
    await wire.run([fifty]);
    const before = heapMiB();
    // 1,500 answers of 50 rows: about 27 MiB if each were kept.
    for (let i = 0; i < 1_500; i++) await wire.run([fifty]);
    expect(heapMiB() - before).toBeLessThan(8);
  });
});
