import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { allRouters } from "../../src/routes";

// swagger-parser needs Node, so the document is built here from the same routers the
// Worker mounts (functions/api.ts serves createApp(allRouters)).
describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 according to a real parser", async () => {
    const env = { DATABASE_URL: "postgres://u:p@localhost/db", PAYOUT_HASH_SECRET: "x".repeat(32) };
    const res = await createApp(allRouters).request("/openapi.json", {}, env);
    expect(res.status).toBe(200);
    const doc = await res.json();
    // validate() throws on any violation of the OpenAPI schema and dereferences every $ref.
    const api = await SwaggerParser.validate(doc as Parameters<typeof SwaggerParser.validate>[0]);
    expect(api.info.title).toBe("Disburse API");
    expect(Object.keys(api.paths ?? {}).length).toBeGreaterThanOrEqual(5);
  });
});
