import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest";
import { CommandError, UsageError } from "../../src/local/admin-commands";
import { ensureDemo } from "../../src/local/demo-business";
import { allScopes, createApiKey, findActiveKey } from "../../src/services/api-keys";
import { createBusiness, getBusiness } from "../../src/services/businesses";
import { adminDatabase } from "./admin-database";

// tsx directly, not `npx tsx`: npx alone costs about half a second of CPU a start.
const run = promisify(execFile);

const local = adminDatabase();
const { admin } = local;

describe("admin commands", () => {
  it("creates a business, funds it, switches payouts, and creates and revokes keys", async () => {
    const biz = await admin("business:create", "--name", "Acme", "--currency", "EUR", "--balance", "500", "--payouts-enabled");
    expect(biz).toEqual({ id: expect.stringMatching(/^biz_/), name: "Acme", currency: "EUR", balance: 500, payouts_enabled: true });
    const id = biz.id as string;

    // Amounts as the API shows them: integer cents, a JSON number, beside the currency.
    expect(await admin("business:fund", "--business", id, "--amount", "250")).toMatchObject({ balance: 750, currency: "EUR" });
    expect(await admin("payouts:disable", "--business", id)).toMatchObject({ payouts_enabled: false });
    expect((await getBusiness(local.conn.db, id))?.payoutsEnabled).toBe(false);
    expect(await admin("payouts:enable", "--business", id)).toMatchObject({ payouts_enabled: true });

    const key = await admin("key:create", "--business", id, "--scopes", "read:payees,write:payees");
    expect(key.secret).toMatch(/^dsb_sk_/);
    const found = await findActiveKey(local.conn.db, await sha256Hex(key.secret as string));
    expect(found).toEqual({ keyId: key.id, businessId: id, scopes: ["read:payees", "write:payees"] });

    expect(await admin("key:revoke", "--key", key.id as string)).toEqual({ id: key.id, revoked: true });
    expect(await findActiveKey(local.conn.db, await sha256Hex(key.secret as string))).toBeUndefined();

    const all = await admin("key:create", "--business", id, "--scopes", "all");
    expect(all.scopes).toEqual([...allScopes]);
  });

  it("says what it defaulted to, and takes currency codes in any case", async () => {
    const biz = await admin("business:create", "--name", "Defaults");
    expect(biz).toMatchObject({ balance: 0, currency: "USD", payouts_enabled: false });
    expect(biz.defaults).toBe(
      "Not given, so: currency USD, balance 0 (add funds with business:fund), payouts disabled (turn them on with payouts:enable).",
    );
    const eur = await admin("business:create", "--name", "Euro", "--currency", "eur", "--balance", "7", "--payouts-enabled");
    expect(eur).toMatchObject({ currency: "EUR", balance: 7 });
    expect(eur.defaults).toBeUndefined();
  });

  it.each([
    [[], "no command given"],
    [["nope"], "unknown command: nope (commands: business:create, "],
    [["business:create"], "--name is required"],
    [["business:create", "--name", "x", "--balance", "12.5"], 'not "12.5": amounts are in cents, so 12.50 is 1250'],
    [
      ["business:create", "--name", "x", "--balance", "-1"],
      "--balance must be a whole number of cents (minor units) from 0 to 10000000000000, not -1 (negative)",
    ],
    [["business:create", "--name", "x", "--currency", "dollars"], '--currency must be a 3-letter ISO 4217 code such as USD, not "dollars"'],
    [["business:fund", "--business", "biz_x", "--amount", "0"], "--amount must be a whole number of cents (minor units) from 1"],
    [["business:fund", "--business", "biz_x", "--amount", "-500"], "not -500 (negative)"],
    [["business:fund", "--business", "biz_x", "--amount=-500"], "not -500 (negative)"],
    [["business:fund", "--business", "biz_x", "--amount", "1e3"], 'not "1e3"'],
    [["business:fund", "--business", "biz_x", "--amount", "10000000000001"], "(too large)"],
    [["business:fund", "--business", "biz_x", "--amount"], "Option '--amount <value>' argument missing"],
    [
      ["business:fund", "--business", "biz_x", "--amount", "5", "--scopes", "all"],
      "business:fund takes no --scopes (it takes --business, --amount)",
    ],
    [["key:create", "--business", "biz_x", "--scopes", "read:everything"], "unknown scope(s): read:everything (scopes: read:payees, "],
    [["business:show", "--bogus"], "Unknown option '--bogus'"],
  ])("refuses %j with a usage error that says what is wrong", async (argv, message) => {
    const attempt = admin(...(argv as string[]));
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(admin(...(argv as string[]))).rejects.toThrow(message);
  });

  it.each([
    [["business:show", "--business", "biz_missing"], "no business biz_missing"],
    [["business:fund", "--business", "biz_missing", "--amount", "5"], "no business biz_missing"],
    [["payouts:enable", "--business", "biz_missing"], "no business biz_missing"],
    [["key:create", "--business", "biz_missing", "--scopes", "all"], "no business biz_missing"],
    [["key:revoke", "--key", "key_missing"], "no active key key_missing"],
  ])("refuses %j naming what does not exist", async (argv, message) => {
    await expect(admin(...(argv as string[]))).rejects.toBeInstanceOf(CommandError);
    await expect(admin(...(argv as string[]))).rejects.toThrow(message);
  });
});

describe("the demo key", () => {
  it("is brought up to every scope when an older .data/ kept it with fewer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "disburse-demo-"));
    try {
      const file = join(dir, "demo.json");
      const business = await createBusiness(local.conn.db, { name: "Old demo", payoutsEnabled: true });
      const old = await createApiKey(local.conn.db, business.id, ["read:payees", "write:payees"], "demo");
      writeFileSync(file, JSON.stringify({ businessId: business.id, keyId: old.id, secret: old.secret }));

      const demo = await ensureDemo(local.conn.db, file);
      expect(demo).toEqual({ businessId: business.id, keyId: old.id, secret: old.secret });
      const key = await findActiveKey(local.conn.db, await sha256Hex(old.secret));
      expect(key?.scopes.sort()).toEqual([...allScopes].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run admin", () => {
  it("says what is wrong in one line, not the whole usage, and exits with code 2 on bad arguments", async () => {
    const failure = await run("node_modules/.bin/tsx", ["src/local/admin-cli.ts", "business:create"], {
      env: { ...process.env, SQL_ENDPOINT: local.server.url },
    }).catch((err: { code: number; stderr: string }) => err);
    expect(failure).toMatchObject({ code: 2 });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr).toContain("error: --name is required\n");
    expect(stderr).not.toContain("Usage: npm run admin");
  });

  it("runs a command against the database it is pointed at and prints JSON", async () => {
    const { stdout } = await run("node_modules/.bin/tsx", ["src/local/admin-cli.ts", "business:create", "--name", "Via CLI"], {
      env: { ...process.env, SQL_ENDPOINT: local.server.url },
    });
    const created = JSON.parse(stdout) as { id: string };
    expect((await getBusiness(local.conn.db, created.id))?.name).toBe("Via CLI");
  });
});
