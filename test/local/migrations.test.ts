import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlBackend } from "../../src/local/backend";
import { applyMigrations } from "../../src/local/open-backend";
import { backendCases, type OpenedBackend } from "./backends";

interface FakeMigration {
  tag: string;
  when: number;
  sql: string;
}

const FIRST: FakeMigration = {
  tag: "0000_widgets",
  when: 1_700_000_000_000,
  sql: `CREATE TABLE "widgets" ("id" integer PRIMARY KEY, "name" text NOT NULL);
--> statement-breakpoint
INSERT INTO "widgets" VALUES (1, 'seed');`,
};
const SECOND: FakeMigration = {
  tag: "0001_gadgets",
  when: 1_700_000_100_000,
  sql: `CREATE TABLE "gadgets" ("id" integer PRIMARY KEY);
--> statement-breakpoint
ALTER TABLE "widgets" ADD COLUMN "size" integer DEFAULT 0 NOT NULL;
-- a trailing comment must not swallow the statement separator`,
};

/** A drizzle-kit style folder: meta/_journal.json plus NNNN_tag.sql files. */
function writeMigrations(dir: string, migrations: FakeMigration[]): void {
  mkdirSync(join(dir, "meta"), { recursive: true });
  const entries = migrations.map((m, idx) => ({ idx, version: "7", when: m.when, tag: m.tag, breakpoints: true }));
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  for (const m of migrations) writeFileSync(join(dir, `${m.tag}.sql`), m.sql);
}

async function rows(backend: SqlBackend, query: string): Promise<(string | null)[][]> {
  return (await backend.query({ query, params: [] })).rows;
}

describe.each(backendCases)("applyMigrations on $name", ({ open }) => {
  let opened: OpenedBackend;
  let dir: string;

  beforeEach(async () => {
    opened = await open();
    dir = mkdtempSync(join(tmpdir(), "disburse-migrations-"));
  });

  afterEach(async () => {
    await opened?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies each migration once, recording drizzle's hash and timestamp", async () => {
    writeMigrations(dir, [FIRST, SECOND]);
    expect(await applyMigrations(opened.backend, dir)).toEqual([FIRST.tag, SECOND.tag]);
    expect(await applyMigrations(opened.backend, dir)).toEqual([]);

    expect(await rows(opened.backend, "SELECT id, name, size FROM widgets")).toEqual([["1", "seed", "0"]]);
    const sha = (tag: string) =>
      createHash("sha256")
        .update(readFileSync(join(dir, `${tag}.sql`)))
        .digest("hex");
    expect(await rows(opened.backend, "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id")).toEqual([
      [sha(FIRST.tag), String(FIRST.when)],
      [sha(SECOND.tag), String(SECOND.when)],
    ]);
  });

  it("applies only journal entries newer than the last recorded one", async () => {
    writeMigrations(dir, [FIRST]);
    expect(await applyMigrations(opened.backend, dir)).toEqual([FIRST.tag]);
    writeMigrations(dir, [FIRST, SECOND]);
    expect(await applyMigrations(opened.backend, dir)).toEqual([SECOND.tag]);
    expect(await rows(opened.backend, "SELECT count(*) FROM drizzle.__drizzle_migrations")).toEqual([["2"]]);
  });

  it("rolls a failing migration file back whole and names it", async () => {
    const broken: FakeMigration = {
      tag: "0001_broken",
      when: SECOND.when,
      sql: `CREATE TABLE "half_done" ("id" integer);
--> statement-breakpoint
INSERT INTO "missing_table" VALUES (1);`,
    };
    writeMigrations(dir, [FIRST, broken]);
    await expect(applyMigrations(opened.backend, dir)).rejects.toThrow(
      /migration 0001_broken failed \(rolled back\): relation "missing_table" does not exist/,
    );
    expect(await rows(opened.backend, "SELECT to_regclass('half_done') IS NULL")).toEqual([["t"]]);
    expect(await rows(opened.backend, "SELECT count(*) FROM drizzle.__drizzle_migrations")).toEqual([["1"]]);
  });

  it("applies once when several migrators start at the same time", async () => {
    writeMigrations(dir, [FIRST, SECOND]);
    const migrators = [opened.backend, await opened.openSibling(), await opened.openSibling()];
    const applied = await Promise.all(migrators.map((b) => applyMigrations(b, dir)));
    expect(applied.flat().sort()).toEqual([FIRST.tag, SECOND.tag]);
    expect(await rows(opened.backend, "SELECT count(*) FROM drizzle.__drizzle_migrations")).toEqual([["2"]]);
    expect(await rows(opened.backend, "SELECT count(*) FROM widgets")).toEqual([["1"]]);
  });
});
