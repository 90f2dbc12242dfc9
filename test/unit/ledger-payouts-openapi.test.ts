import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ledgerPayoutsRouter } from "../../src/routes/ledger-payouts";

type Operation = {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string; example?: unknown } }> }>;
  requestBody?: { content: Record<string, { schema: { example?: unknown } }> };
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { example?: unknown }> } };

async function ledgerDocument(): Promise<Doc> {
  const env = { DATABASE_URL: "postgres://u:p@localhost/db", PAYOUT_HASH_SECRET: "x".repeat(32) };
  const res = await createApp({ "/v1/businesses": ledgerPayoutsRouter }).request("/openapi.json", {}, env);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the ledger payouts OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and documents every operation with an operationId and examples", async () => {
    const doc = await ledgerDocument();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    const operations = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/v1/businesses"))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        "POST /v1/businesses/{businessId}/payouts/bulk",
        "GET /v1/businesses/{businessId}/payouts",
        "GET /v1/businesses/{businessId}/payouts/{payoutId}",
        "DELETE /v1/businesses/{businessId}/payouts/{payoutId}/match",
        "GET /v1/businesses/{businessId}/ledger/accounts",
        "GET /v1/businesses/{businessId}/ledger/entries",
        "POST /v1/businesses/{businessId}/bank-transactions/bulk",
        "GET /v1/businesses/{businessId}/bank-transactions",
      ].sort(),
    );
    for (const { key, op } of operations) {
      expect(op.operationId, key).toBeTruthy();
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(["200", "401", "403", "404"]));
      const schema = op.responses["200"]!.content!["application/json"]!.schema!;
      const example = schema.example ?? (schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!]?.example : undefined);
      expect(example, key).toBeTruthy();
      if (op.requestBody) expect(op.requestBody.content["application/json"]!.schema.example, key).toBeTruthy();
    }
    expect(doc.paths["/v1/businesses/{businessId}/payouts/bulk"]!.post!.responses).toHaveProperty("503");
  });
});
