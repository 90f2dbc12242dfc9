import { describe, expect, it } from "vitest";
import { expectError, seedBusiness } from "../harness";
import { testApp } from "./test-app";

describe("the error envelope and request guards", () => {
  const post = async (body: BodyInit, headers: Record<string, string> = {}) => {
    const { auth } = await seedBusiness();
    return testApp("POST", "/t/echo", { headers: { Authorization: auth, "Content-Type": "application/json", ...headers }, body });
  };

  it("answers 400 validation_error with every bad field", async () => {
    const err = await expectError(await post(JSON.stringify({ name: "toolong", amount: 0, extra: 1 })), 400, "validation_error");
    expect(err.type).toBe("invalid_request_error");
    expect(Object.keys(err.fields!).sort()).toEqual(["amount", "extra", "name"]);
    expect(err.fields!.extra![0]).toContain("extra");
    expect(err.fields!.name![0]).toMatch(/5/);
  });

  it("answers 400 invalid_json for a body that does not parse", async () => {
    await expectError(await post("{not json"), 400, "invalid_json");
  });

  it("answers 415 for a body that is not JSON", async () => {
    await expectError(await post("name=a", { "Content-Type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
  });

  it("answers 415 for a write without a Content-Type", async () => {
    const { auth } = await seedBusiness();
    await expectError(await testApp("POST", "/t/echo", { headers: { Authorization: auth }, body: "{}" }), 415, "unsupported_media_type");
  });

  it("answers 413 for a body over 1 MiB", async () => {
    const big = JSON.stringify({ name: "a", amount: 1, pad: "x".repeat(1024 * 1024) });
    await expectError(await post(big), 413, "payload_too_large");
  });

  it("answers 404 route_not_found for an unknown route", async () => {
    const err = await expectError(await testApp("GET", "/nowhere"), 404, "route_not_found");
    expect(err.type).toBe("not_found_error");
  });

  it("answers 405 with Allow for a known path and the wrong method", async () => {
    const res = await testApp("DELETE", "/t/echo");
    expect(res.headers.get("Allow")).toBe("POST");
    await expectError(res, 405, "method_not_allowed");
  });

  it("answers 500 with the request id and no internals for an unexpected error", async () => {
    const res = await testApp("GET", "/t/boom");
    const text = await res.clone().text();
    expect(text).not.toContain("SELECT");
    expect(text).not.toContain("secret internals");
    const err = await expectError(res, 500, "internal_error");
    expect(err.request_id).toMatch(/^req_/);
  });

  it("puts a fresh X-Request-Id on every response", async () => {
    const a = await testApp("GET", "/health");
    const b = await testApp("GET", "/nowhere");
    expect(a.headers.get("X-Request-Id")).toMatch(/^req_[0-9a-z]{26}$/);
    expect(b.headers.get("X-Request-Id")).toMatch(/^req_[0-9a-z]{26}$/);
    expect(a.headers.get("X-Request-Id")).not.toBe(b.headers.get("X-Request-Id"));
  });
});

describe("values the database cannot store", () => {
  it("answers 400, not 500, for a NUL character that reaches a query", async () => {
    const s = await seedBusiness();
    const res = await s.call("GET", "/api/v1/payees?q=%00");
    await expectError(res, 400, "validation_error");
    const created = await s.call("POST", "/api/v1/payees", { json: { name: "bad\u0000name", type: "company" } });
    await expectError(created, 400, "validation_error");
  });
});
