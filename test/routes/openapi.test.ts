import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { call } from "../harness";

describe("GET /openapi.json and /docs", () => {
  it("serves an OpenAPI 3.1 document that a real parser validates", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/health"]).toBeDefined();
    // validate() throws on any schema violation; it also dereferences every $ref.
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    expect(api.info.title).toBe("Disburse API");
  });

  it("serves the interactive reference at /docs", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });
});
