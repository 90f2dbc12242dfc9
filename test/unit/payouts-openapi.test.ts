import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { payoutsRouter } from "../../src/routes/payouts";

type Param = { name: string; in: string; required?: boolean; schema?: { type?: string | string[] }; explode?: boolean };
type Operation = {
  operationId?: string;
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: { $ref?: string; example?: unknown } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { example?: unknown }> } };

// Built in Node from the router functions/payouts.ts serves.
async function payoutsDocument(): Promise<Doc> {
  const env = { DATABASE_URL: "postgres://u:p@localhost/db", PAYOUT_HASH_SECRET: "x".repeat(32) };
  const res = await createApp({ "/api/v1/payouts": payoutsRouter }).request("/openapi.json", {}, env);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe("the payouts OpenAPI document", () => {
  it("is valid OpenAPI 3.1 according to a real parser", async () => {
    await expect(SwaggerParser.validate(structuredClone(await payoutsDocument()) as never)).resolves.toBeTruthy();
  });

  it("names every operation, documents Idempotency-Key and the 501 on initiation, and has examples", async () => {
    const doc = await payoutsDocument();
    const post = doc.paths["/api/v1/payouts"]!.post!;
    const list = doc.paths["/api/v1/payouts"]!.get!;
    const get = doc.paths["/api/v1/payouts/{id}"]!.get!;
    expect([post.operationId, list.operationId, get.operationId]).toEqual(["initiatePayout", "listPayouts", "getPayout"]);
    expect(post.parameters?.some((p) => p.in === "header" && p.name === "Idempotency-Key")).toBe(true);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["200", "400", "403", "404", "409", "501", "503"]));
    expect(post.requestBody!.content["application/json"]!.schema.example).toBeDefined();
    for (const name of ["Payout", "PayoutResponse", "PayoutList", "PayoutInitiation"])
      expect(doc.components.schemas[name]?.example).toBeDefined();
    const limit = list.parameters!.find((p) => p.name === "limit")!;
    expect(limit.required).toBe(true);
    for (const name of ["ids", "statuses", "refIds"]) expect(list.parameters!.find((p) => p.name === name)?.explode).toBe(true);
  });
});
