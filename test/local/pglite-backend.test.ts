import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqlError } from "../../src/local/backend";
import { createPgliteBackend } from "../../src/local/backends/pglite";
import { defaultAnalyzeAfter } from "../../src/local/backends/pglite-analyze";
import { openBackend } from "../../src/local/open-backend";

describe("PGlite backend", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("creates a data directory on first use and persists across reopen", async () => {
    const root = mkdtempSync(join(tmpdir(), "disburse-pglite-"));
    dirs.push(root);
    const dataDir = join(root, "nested", "pglite");

    const first = await openBackend({ dataDir });
    expect(first.kind).toBe("pglite");
    await first.exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await first.close();
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

    const second = await createPgliteBackend(dataDir);
    try {
      expect((await second.query({ query: "SELECT v FROM kept", params: [] })).rows).toEqual([["still here"]]);
    } finally {
      await second.close();
    }
  });

  it("returns raw text for types created after startup (enum, domain, composite, arrays of them)", async () => {
    const backend = await createPgliteBackend();
    try {
      await backend.exec(`CREATE TYPE mood AS ENUM ('ok', 'meh');
        CREATE DOMAIN cents AS bigint CHECK (VALUE >= 0);
        CREATE TYPE pair AS (a int, b text)`);
      const result = await backend.query({
        query:
          "SELECT 'meh'::mood, ARRAY['ok','meh']::mood[], 5::cents, ROW(1, 'x y')::pair, ARRAY[ROW(2, 'z')::pair], '1 day'::interval, 1.5::float4",
        params: [],
      });
      expect(result.rows).toEqual([["meh", "{ok,meh}", "5", '(1,"x y")', '{"(2,z)"}', "1 day", "1.5"]]);
    } finally {
      await backend.close();
    }
  });

  it("passes params through as Postgres text input, so bad input is a SQL error, not a JS one", async () => {
    const backend = await createPgliteBackend();
    try {
      const err = await backend.query({ query: "SELECT $1::bool", params: ["maybe"] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SqlError);
      expect((err as SqlError).fields).toMatchObject({ code: "22P02", severity: "ERROR" });
      const bytes = await backend.query({ query: "SELECT $1::bytea, $2::bool", params: ["\\x00ff", "t"] });
      expect(bytes.rows).toEqual([["\\x00ff", "t"]]);
    } finally {
      await backend.close();
    }
  });

  it("analyzes tables as they fill (PGlite has no autovacuum), so a page is read off its index", async () => {
    const backend = await createPgliteBackend(undefined, { ...defaultAnalyzeAfter, ms: 0 });
    const page = 'SELECT id FROM things WHERE owner = $1 ORDER BY id COLLATE "C" LIMIT 51';
    const plan = async () => (await backend.query({ query: `EXPLAIN ${page}`, params: ["a"] })).rows.map((r) => r[0]).join("\n");
    try {
      await backend.exec(`CREATE TABLE things (id text PRIMARY KEY, owner text NOT NULL);
        CREATE INDEX things_owner_id ON things (owner, id COLLATE "C")`);
      // Written while the table was empty: the planner guesses a few rows per owner and sorts them all.
      await backend.query({
        query:
          "INSERT INTO things SELECT 't' || lpad(g::text, 6, '0'), CASE WHEN g % 10 = 0 THEN 'b' ELSE 'a' END FROM generate_series(1, 5000) g",
        params: [],
      });
      let analyzed = "";
      for (let i = 0; i < 50 && !/Index (Only )?Scan using things_owner_id/.test(analyzed); i++) {
        await new Promise((r) => setTimeout(r, 100));
        analyzed = await plan();
      }
      expect(analyzed).toMatch(/Index (Only )?Scan using things_owner_id/);
      expect(analyzed).not.toMatch(/Sort/);
    } finally {
      await backend.close();
    }
  });
});
