import { describe, expect, it } from "vitest";
import { call, expectError, sqlStats } from "../../harness";

describe("GET /health", () => {
  it("reports the database round trip, in one round trip, without auth", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { ok: boolean; round_trip_ms: number } };
    expect(body.status).toBe("ok");
    expect(body.database.ok).toBe(true);
    expect(body.database.round_trip_ms).toBeGreaterThanOrEqual(0);
    expect(await sqlStats(res)).toEqual({ requests: 1, statements: 1 });
  });
});

describe("GET /health with a query parameter", () => {
  it("names the parameter it does not know, like every route", async () => {
    const res = await call("GET", "/health?verbose=1");
    const err = await expectError(res, 400, "validation_error");
    expect(Object.keys(err.fields ?? {})).toEqual(["verbose"]);
  });
});
