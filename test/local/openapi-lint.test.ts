// /openapi.json must lint clean with Redocly's recommended rules, and meet the house rules that
// Redocly does not check (see src/routes/docs/openapi-document.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { allRouters } from "../../src/routes";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "disburse-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Op = {
  operationId?: string;
  security?: unknown[];
  parameters?: { $ref?: string; name?: string; in?: string }[];
  requestBody?: { content: Record<string, { schema?: { $ref?: string }; example?: unknown; examples?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; example?: unknown; examples?: unknown }> }>;
};
type Doc = {
  servers?: { url: string }[];
  info: { license?: { name: string } };
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, { example?: unknown; examples?: unknown }> };
};

let doc: Doc;
let file: string;
const operations: [string, Op][] = [];

beforeAll(async () => {
  const env = { DATABASE_URL: "postgres://u:p@localhost/db", PAYOUT_HASH_SECRET: "x".repeat(32) };
  const res = await createApp(allRouters).request("https://api.disburse.test/openapi.json", {}, env);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
  file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) operations.push([`${method.toUpperCase()} ${path}`, op]);
  }
});

/** The example of a body or response: in its content entry, or on the (referenced) schema. */
function hasExample(content: { schema?: { $ref?: string }; example?: unknown; examples?: unknown } | undefined): boolean {
  if (!content) return false;
  if (content.example !== undefined || content.examples !== undefined) return true;
  const ref = content.schema?.$ref?.replace("#/components/schemas/", "");
  const schema = ref ? doc.components.schemas[ref] : (content.schema as { example?: unknown; examples?: unknown } | undefined);
  return schema?.example !== undefined || schema?.examples !== undefined;
}

describe("the OpenAPI document", () => {
  it("lints clean with @redocly/cli (recommended rules): no error, no warning", async () => {
    const result = await run(process.execPath, ["node_modules/@redocly/cli/bin/cli.js", "lint", file, "--format=json"], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout: string; stderr: string }) => err);
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("names the server it was fetched from and a license", () => {
    expect(doc.servers).toEqual([{ url: "https://api.disburse.test", description: "This deployment" }]);
    expect(doc.info.license?.name).toBeTruthy();
  });

  it("gives every operation a unique operationId", () => {
    const ids = operations.map(([, op]) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents Idempotency-Key on every POST", () => {
    const without = operations
      .filter(([name]) => name.startsWith("POST "))
      .filter(
        ([, op]) =>
          !(op.parameters ?? []).some(
            (p) => p.$ref === "#/components/parameters/IdempotencyKey" || p.name?.toLowerCase() === "idempotency-key",
          ),
      )
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it("leaves public routes without API-key security", () => {
    const health = doc.paths["/health"]!.get!;
    expect(health.security).toEqual([]);
    expect(doc.paths["/api/v1/payout-user"]!.get!.security).toEqual([{ payoutUserHash: [] }]);
  });

  it("lists the errors the shared request path can answer on every operation", () => {
    const missing: string[] = [];
    for (const [name, op] of operations) {
      const expected = ["500", "503"];
      if (op.requestBody) expected.push("400", "413", "415");
      if (op.security === undefined || op.security.length > 0) expected.push("401");
      for (const status of expected) if (!op.responses[status]) missing.push(`${name} ${status}`);
    }
    expect(missing).toEqual([]);
  });

  it("has an example for every request body and every 2xx response", () => {
    const missing: string[] = [];
    for (const [name, op] of operations) {
      if (op.requestBody && !hasExample(op.requestBody.content["application/json"])) missing.push(`${name} request body`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith("2") && response.content && !hasExample(response.content["application/json"]))
          missing.push(`${name} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
