import { describe, expect, it } from "vitest";
import { clearAuthCache } from "../../src/http/auth";
import { createApiKey, revokeApiKey } from "../../src/services/api-keys";
import { expectError, seedBusiness, testDb } from "../harness";
import { testApp } from "./test-app";

describe("API key auth", () => {
  it("accepts a Bearer key and resolves its business", async () => {
    const { auth, business } = await seedBusiness();
    const res = await testApp("GET", "/t/whoami", { headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ business_id: business.id });
  });

  it("accepts Basic auth with the key id as user and the secret as password", async () => {
    const { key, business } = await seedBusiness();
    const res = await testApp("GET", "/t/whoami", { headers: { Authorization: `Basic ${btoa(`${key.id}:${key.secret}`)}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ business_id: business.id });
  });

  it("rejects Basic auth whose key id does not match the secret", async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const res = await testApp("GET", "/t/whoami", { headers: { Authorization: `Basic ${btoa(`${b.key.id}:${a.key.secret}`)}` } });
    await expectError(res, 401, "unauthorized");
  });

  it("answers 401 with a challenge when no key is sent", async () => {
    const res = await testApp("GET", "/t/whoami");
    expect(res.headers.get("WWW-Authenticate")).toContain("Bearer");
    const err = await expectError(res, 401, "unauthorized");
    expect(err.type).toBe("authentication_error");
  });

  it.each([
    ["an unknown key", "Bearer dsb_sk_not_a_real_key"],
    ["a malformed header", "Token abc"],
    ["Basic without a colon", `Basic ${btoa("nocolon")}`],
    ["Basic that is not base64", "Basic %%%"],
    ["an empty Bearer", "Bearer "],
  ])("answers 401 for %s", async (_, header) => {
    await expectError(await testApp("GET", "/t/whoami", { headers: { Authorization: header } }), 401, "unauthorized");
  });

  it("answers 401 for a revoked key once the cache has expired", async () => {
    const { business } = await seedBusiness();
    const db = testDb();
    const key = await createApiKey(db, business.id, ["read:payees"]);
    await revokeApiKey(db, key.id);
    await expectError(await testApp("GET", "/t/whoami", { headers: { Authorization: `Bearer ${key.secret}` } }), 401, "unauthorized");
  });

  it("serves a cached key without a database round trip, and drops it when the cache is cleared", async () => {
    const { business } = await seedBusiness();
    const db = testDb();
    const key = await createApiKey(db, business.id, ["read:payees"]);
    const headers = { Authorization: `Bearer ${key.secret}` };
    expect((await testApp("GET", "/t/whoami", { headers })).status).toBe(200);
    await revokeApiKey(db, key.id);
    // Within the TTL the isolate still trusts the cached key: the documented revocation delay.
    expect((await testApp("GET", "/t/whoami", { headers })).status).toBe(200);
    clearAuthCache();
    await expectError(await testApp("GET", "/t/whoami", { headers }), 401, "unauthorized");
  });

  it("answers 403 when the key lacks the route's scope", async () => {
    const { auth } = await seedBusiness({ scopes: ["read:payees"] });
    const res = await testApp("POST", "/t/echo", {
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "a", amount: 1 }),
    });
    const err = await expectError(res, 403, "insufficient_scope");
    expect(err.message).toContain("write:payees");
  });

  it("checks auth before validating the body", async () => {
    const res = await testApp("POST", "/t/echo", { headers: { "Content-Type": "application/json" }, body: "{}" });
    await expectError(res, 401, "unauthorized");
  });
});
