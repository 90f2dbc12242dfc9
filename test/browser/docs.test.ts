// /docs in Chromium with no network but localhost: the reference UI comes from the Worker's own
// static assets, so it must render every operation with everything else blocked.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlBackend } from "../../src/local/backend";
import { applyMigrations, openBackend } from "../../src/local/open-backend";
import { type SqlServer, startSqlServer } from "../../src/local/sql-server";
import { type LocalWorker, startLocalWorker } from "../../src/local/worker";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let backend: SqlBackend;
let sql: SqlServer;
let worker: LocalWorker;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  backend = await openBackend({});
  await applyMigrations(backend);
  sql = await startSqlServer({ backend, port: 0 });
  worker = await startLocalWorker({
    vars: {
      SQL_ENDPOINT: sql.url,
      DATABASE_URL: "postgres://disburse:local@localhost/disburse",
      PAYOUT_HASH_SECRET: "browser-test-secret-browser-test-secret",
    },
    persistTo: false,
    logLevel: "error",
  });
  browser = await chromium.launch({ executablePath, args: flags, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await sql?.close();
  await backend?.close();
});

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return protocol === "data:" || protocol === "blob:" || hostname === "127.0.0.1" || hostname === "localhost";
};

describe("/docs", () => {
  it("renders every operation with no network but the API itself", async () => {
    const doc = (await (await fetch(`${worker.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; operationId?: string }>>;
    };
    const summaries = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.summary!));
    expect(summaries.length).toBeGreaterThan(10);

    const context = await browser.newContext();
    const blocked: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      blocked.push(url);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${worker.url}/docs`);
    // Scalar renders each operation's summary (sidebar and section heading) once it has the document.
    await page.getByText(summaries[0]!, { exact: true }).first().waitFor({ timeout: 30_000 });
    const text = await page.locator("body").innerText();
    const missing = summaries.filter((summary) => !text.includes(summary));
    expect(missing).toEqual([]);
    expect(errors).toEqual([]);
    // Scalar's stylesheet always names its web fonts on its CDN; the page falls back to system fonts.
    // Anything else off localhost (telemetry, a script) would be a regression.
    expect(blocked.filter((url) => !/^https:\/\/fonts\.scalar\.com\/[\w-]+\.woff2$/.test(url))).toEqual([]);
    await context.close();
  });

  it("links the OpenAPI document when scripts are off", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${worker.url}/docs`);
    const link = page.getByRole("link", { name: "/openapi.json" });
    expect(await link.getAttribute("href")).toBe("/openapi.json");
    await context.close();
  });

  it("serves the reference UI from the Worker's own static assets", async () => {
    const res = await fetch(`${worker.url}/docs/assets/scalar-api-reference.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect((await res.text()).length).toBeGreaterThan(1_000_000);
  });
});
