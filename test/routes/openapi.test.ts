import { describe, expect, it } from "vitest";
import { call } from "../harness";

describe("GET /openapi.json and /docs", () => {
  it("serves the OpenAPI 3.1 document with every route", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/health", "/api/v1/payout-users", "/api/v1/balance"]));
  });

  it("serves the interactive reference at /docs", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    expect(await res.text()).toContain("/openapi.json");
  });
});
