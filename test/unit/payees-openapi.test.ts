import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { payeesRouter } from "../../src/routes/payees";

type Operation = { tags?: string[]; summary?: string; security?: unknown[]; responses: Record<string, unknown>; requestBody?: unknown };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { example?: unknown; properties?: Record<string, { description?: string }> }> };
};

// The document is built in Node (swagger-parser needs it) from the router functions/payees.ts serves.
async function payeesDocument(): Promise<Doc> {
  const env = { DATABASE_URL: "postgres://u:p@localhost/db", PAYOUT_HASH_SECRET: "x".repeat(32) };
  const res = await createApp({ "/api/v1/payees": payeesRouter }).request("/openapi.json", {}, env);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the payees OpenAPI document", () => {
  it("is valid OpenAPI 3.1 according to a real parser", async () => {
    const doc = await payeesDocument();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it("documents all eight operations with summary, tag, security and error responses", async () => {
    const doc = await payeesDocument();
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/api/v1/payees"))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        "GET /api/v1/payees",
        "POST /api/v1/payees",
        "POST /api/v1/payees/upsert",
        "POST /api/v1/payees/batch",
        "POST /api/v1/payees/batch/upsert",
        "PUT /api/v1/payees/batch",
        "GET /api/v1/payees/{id}",
        "PUT /api/v1/payees/{id}",
      ].sort(),
    );
    for (const { key, op } of operations) {
      expect(op.tags, key).toEqual(["Payees"]);
      expect(op.summary, key).toBeTruthy();
      expect(op.security, key).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });

  it("carries the source page's examples and says decimals are strings", async () => {
    const { components } = await payeesDocument();
    expect(components.schemas.PayeeCreate?.example).toMatchObject({
      external_id: "partner_001",
      name: "Northwind Partner",
      type: "affiliate",
    });
    expect(components.schemas.PayeeUpdate?.example).toEqual({
      status: "inactive",
      hold_status: "on_hold",
      hold_reason: "Missing tax form",
    });
    expect(components.schemas.PayeeUpsert?.example).toMatchObject({ operation: "create_or_update" });
    expect(components.schemas.Payee?.properties?.default_fallback_percent?.description).toMatch(/string/i);
    expect(components.schemas.PayeeCreate?.properties?.minimum_payout_threshold?.description).toMatch(/decimal string/i);
  });
});
