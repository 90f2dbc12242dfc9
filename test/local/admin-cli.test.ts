import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { parseCommand, runCommand, UsageError } from "../../src/local/admin-commands";
import type { Connection } from "../../src/local/connect";
import type { SqlBackend } from "../../src/local/backend";
import { applyMigrations, openBackend } from "../../src/local/open-backend";
import { startSqlServer, type SqlServer } from "../../src/local/sql-server";
import { sha256Hex } from "../../src/lib/digest";
import { findActiveKey } from "../../src/services/api-keys";
import { getBusiness } from "../../src/services/businesses";

const run = promisify(execFile);

let backend: SqlBackend;
let server: SqlServer;
let conn: Connection;

beforeAll(async () => {
  backend = await openBackend({});
  await applyMigrations(backend);
  server = await startSqlServer({ backend, port: 0 });
  conn = { db: createDb({ DATABASE_URL: "postgres://u:p@localhost/db", SQL_ENDPOINT: server.url }), describe: "test", close: async () => {} };
});

afterAll(async () => {
  await server.close();
  await backend.close();
});

const admin = async (...argv: string[]) => {
  const { command, values } = parseCommand(argv);
  return (await runCommand(command, values, conn)) as Record<string, unknown>;
};

describe("admin commands", () => {
  it("creates a business, funds it, switches payouts, and creates and revokes keys", async () => {
    const biz = await admin("business:create", "--name", "Acme", "--currency", "EUR", "--balance", "500", "--payouts-enabled");
    expect(biz).toMatchObject({ name: "Acme", currency: "EUR", payout_balance: "500", payouts_enabled: true });
    const id = biz.id as string;

    expect(await admin("business:fund", "--business", id, "--amount", "250")).toMatchObject({ payout_balance: "750" });
    expect(await admin("payouts:disable", "--business", id)).toMatchObject({ payouts_enabled: false });
    expect((await getBusiness(conn.db, id))?.payoutsEnabled).toBe(false);
    expect(await admin("payouts:enable", "--business", id)).toMatchObject({ payouts_enabled: true });

    const key = await admin("key:create", "--business", id, "--scopes", "read:payees,write:payees");
    expect(key.secret).toMatch(/^dsb_sk_/);
    const found = await findActiveKey(conn.db, await sha256Hex(key.secret as string));
    expect(found).toEqual({ keyId: key.id, businessId: id, scopes: ["read:payees", "write:payees"] });

    expect(await admin("key:revoke", "--key", key.id as string)).toEqual({ id: key.id, revoked: true });
    expect(await findActiveKey(conn.db, await sha256Hex(key.secret as string))).toBeUndefined();

    const all = await admin("key:create", "--business", id, "--scopes", "all");
    expect((all.scopes as string[]).length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    [[], "no command given"],
    [["nope"], "unknown command"],
    [["business:create"], "--name is required"],
    [["business:create", "--name", "x", "--balance", "12.5"], "--balance must be"],
    [["business:create", "--name", "x", "--currency", "dollars"], "--currency"],
    [["business:fund", "--business", "biz_x", "--amount", "0"], "--amount must be"],
    [["key:create", "--business", "biz_x", "--scopes", "read:everything"], "unknown scope"],
    [["business:show", "--bogus"], "Unknown option"],
    [["business:show", "--business", "biz_missing"], "no business biz_missing"],
    [["key:revoke", "--key", "key_missing"], "no active key"],
  ])("refuses %j with a usage error", async (argv, message) => {
    const attempt = admin(...(argv as string[]));
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(admin(...(argv as string[]))).rejects.toThrow(message);
  });
});

describe("npm run admin", () => {
  it("prints the usage and exits with code 2 on bad arguments", async () => {
    const failure = await run("npx", ["tsx", "src/local/admin-cli.ts", "business:create"], { env: { ...process.env, SQL_ENDPOINT: server.url } }).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("--name is required");
    expect((failure as { stderr: string }).stderr).toContain("Usage: npm run admin");
  });

  it("runs a command against the database it is pointed at and prints JSON", async () => {
    const { stdout } = await run("npx", ["tsx", "src/local/admin-cli.ts", "business:create", "--name", "Via CLI"], {
      env: { ...process.env, SQL_ENDPOINT: server.url },
    });
    const created = JSON.parse(stdout) as { id: string };
    expect((await getBusiness(conn.db, created.id))?.name).toBe("Via CLI");
  });
});
