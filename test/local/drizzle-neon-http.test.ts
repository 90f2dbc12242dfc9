import { neon, neonConfig } from "@neondatabase/serverless";
import { DrizzleQueryError, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { bigint, integer, jsonb, numeric, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SqlServer, startSqlServer } from "../../src/local/sql-server";
import { backendCases, type OpenedBackend } from "./backends";

// drizzle-orm/neon-http over the local endpoint, as the Worker uses it.

const ledger = pgTable("drz_ledger", {
  id: integer("id").primaryKey(),
  label: text("label").notNull().unique("drz_ledger_label_key"),
  amount: numeric("amount").notNull(),
  cents: bigint("cents", { mode: "bigint" }).notNull(),
  meta: jsonb("meta").$type<{ tags: string[] }>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

describe.each(backendCases)("drizzle neon-http on the local endpoint ($name)", ({ open }) => {
  let opened: OpenedBackend;
  let server: SqlServer;
  const db = drizzle({ client: neon("postgres://local:local@localhost/disburse") });

  beforeAll(async () => {
    opened = await open();
    server = await startSqlServer({ backend: opened.backend });
    await opened.backend.exec(`CREATE TABLE drz_ledger (
      id integer PRIMARY KEY,
      label text NOT NULL CONSTRAINT drz_ledger_label_key UNIQUE,
      amount numeric NOT NULL,
      cents bigint NOT NULL,
      meta jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  });

  afterAll(async () => {
    await server?.close();
    await opened?.cleanup();
  });

  beforeEach(async () => {
    neonConfig.fetchEndpoint = server.url;
    await opened.backend.exec("TRUNCATE drz_ledger");
  });

  it("runs a db.batch in one round trip and maps column types", async () => {
    server.resetStats();
    const [inserted, , all] = await db.batch([
      db
        .insert(ledger)
        .values({ id: 1, label: "first", amount: "99999999999999999999.99", cents: 9007199254740993n, meta: { tags: ["a"] } })
        .returning(),
      db.insert(ledger).values({ id: 2, label: "second", amount: "0.10", cents: 10n }),
      db.select().from(ledger).orderBy(ledger.id),
    ]);
    expect(server.stats()).toEqual({ requests: 1, statements: 3 });
    expect(inserted[0]).toMatchObject({ id: 1, amount: "99999999999999999999.99", cents: 9007199254740993n, meta: { tags: ["a"] } });
    expect(inserted[0]?.createdAt).toBeInstanceOf(Date);
    expect(all.map((r) => [r.label, r.amount, r.cents])).toEqual([
      ["first", "99999999999999999999.99", 9007199254740993n],
      ["second", "0.10", 10n],
    ]);
  });

  it("rolls a failing db.batch back whole and surfaces the SQLSTATE", async () => {
    await db.insert(ledger).values({ id: 1, label: "taken", amount: "1", cents: 1n });
    const failing = db.batch([
      db.insert(ledger).values({ id: 2, label: "new", amount: "1", cents: 1n }),
      db.insert(ledger).values({ id: 3, label: "taken", amount: "1", cents: 1n }),
    ]);
    await expect(failing).rejects.toMatchObject({ code: "23505", constraint: "drz_ledger_label_key" });
    const rows = await db.select({ id: ledger.id }).from(ledger);
    expect(rows).toEqual([{ id: 1 }]);
  });

  it("wraps single-query SQL errors with the driver error as cause", async () => {
    const err = await db.execute(sql`SELECT 1 / 0`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrizzleQueryError);
    expect((err as DrizzleQueryError).cause).toMatchObject({ code: "22012", message: "division by zero" });
  });
});
