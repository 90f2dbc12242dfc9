import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { createPayee, newPayee, type PayeeJson, uniqueExternalId, warmAuth } from "./helpers";

const path = "/api/v1/payees";

describe("POST /api/v1/payees", () => {
  it("creates a payee with defaults in one round trip (201)", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const res = await s.call("POST", path, { json: { name: "Northwind Partner", type: "affiliate" } });
    expect(res.status).toBe(201);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const { data } = (await res.json()) as { data: PayeeJson };
    expect(data).toEqual({
      id: expect.stringMatching(/^pye_[0-9a-z]{26}$/),
      external_id: null,
      name: "Northwind Partner",
      type: "affiliate",
      status: "active",
      contact_email: null,
      hold_status: "none",
      hold_reason: null,
      default_fallback_percent: null,
      minimum_payout_threshold: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
  });

  it("creates the source page's example with every optional field", async () => {
    const s = await seedBusiness();
    const payee = await createPayee(s, {
      external_id: "partner_001",
      name: "Northwind Partner",
      type: "affiliate",
      status: "pending",
      contact_email: "partners@northwind.example",
      hold_status: "on_hold",
      hold_reason: "Missing tax form",
      default_fallback_percent: "100.00",
      minimum_payout_threshold: "0",
    });
    expect(payee).toMatchObject({
      external_id: "partner_001",
      status: "pending",
      contact_email: "partners@northwind.example",
      hold_status: "on_hold",
      hold_reason: "Missing tax form",
      default_fallback_percent: "100.00",
      minimum_payout_threshold: "0.00",
    });
  });

  it("keeps decimals exact as strings and accepts JSON numbers only with at most 2 places", async () => {
    const s = await seedBusiness();
    const big = await createPayee(s, newPayee({ minimum_payout_threshold: "999999999999999999.99", default_fallback_percent: "0.01" }));
    expect(big).toMatchObject({ minimum_payout_threshold: "999999999999999999.99", default_fallback_percent: "0.01" });
    const numbers = await createPayee(s, newPayee({ default_fallback_percent: 12.5, minimum_payout_threshold: 25 }));
    expect(numbers).toMatchObject({ default_fallback_percent: "12.50", minimum_payout_threshold: "25.00" });
    const error = await expectError(
      await s.call("POST", path, { json: newPayee({ default_fallback_percent: 0.1 + 0.2 }) }),
      400,
      "validation_error",
    );
    expect(error.fields).toHaveProperty("default_fallback_percent");
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["name missing", { name: undefined }, "name"],
    ["name empty", { name: "" }, "name"],
    ["name blank", { name: "   " }, "name"],
    ["name over 255", { name: "n".repeat(256) }, "name"],
    ["name null", { name: null }, "name"],
    ["type missing", { type: undefined }, "type"],
    ["type unknown", { type: "robot" }, "type"],
    ["status unknown", { status: "archived" }, "status"],
    ["status null", { status: null }, "status"],
    ["contact_email invalid", { contact_email: "not-an-email" }, "contact_email"],
    ["external_id over 255", { external_id: "x".repeat(256) }, "external_id"],
    ["external_id empty", { external_id: "" }, "external_id"],
    ["external_id a number", { external_id: 42 }, "external_id"],
    ["hold_status unknown", { hold_status: "frozen" }, "hold_status"],
    ["hold_reason without a hold", { hold_reason: "Missing tax form" }, "hold_reason"],
    ["hold_reason with hold_status none", { hold_status: "none", hold_reason: "Missing tax form" }, "hold_reason"],
    ["percent over 100", { default_fallback_percent: "100.01" }, "default_fallback_percent"],
    ["percent negative", { default_fallback_percent: "-1" }, "default_fallback_percent"],
    ["percent 3 places", { default_fallback_percent: "12.345" }, "default_fallback_percent"],
    ["percent not a number", { default_fallback_percent: "abc" }, "default_fallback_percent"],
    ["percent exponent", { default_fallback_percent: "1e2" }, "default_fallback_percent"],
    ["threshold negative", { minimum_payout_threshold: "-0.01" }, "minimum_payout_threshold"],
    ["threshold 3 places", { minimum_payout_threshold: 1.005 }, "minimum_payout_threshold"],
    ["threshold too large", { minimum_payout_threshold: "1000000000000000000" }, "minimum_payout_threshold"],
    ["threshold a boolean", { minimum_payout_threshold: true }, "minimum_payout_threshold"],
  ];
  it.each(invalid)("rejects %s (400 on the field)", async (_, overrides, field) => {
    const s = await seedBusiness();
    const body = JSON.parse(JSON.stringify(newPayee(overrides)));
    const error = await expectError(await s.call("POST", path, { json: body }), 400, "validation_error");
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
  });

  it.each([
    ["an unknown field", { nickname: "NW" }, "nickname"],
    ["the id", { id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w" }, "id"],
    ["timestamps", { created_at: "2026-01-01T00:00:00Z" }, "created_at"],
    ["another business", { business_id: "biz_01jz8k6q4m0x3v7e2c5n9r1t8w" }, "business_id"],
  ])("refuses %s instead of ignoring it", async (_, extra, key) => {
    const s = await seedBusiness();
    const error = await expectError(await s.call("POST", path, { json: newPayee(extra) }), 400, "validation_error");
    expect(error.fields?.[key]?.join(" ")).toContain(key);
    const list = (await (await s.call("GET", path)).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });

  it("rejects a body that is not a JSON object", async () => {
    const s = await seedBusiness();
    await expectError(
      await s.call("POST", path, { body: "{not json", headers: { "Content-Type": "application/json" } }),
      400,
      "invalid_json",
    );
    await expectError(await s.call("POST", path, { json: [newPayee()] }), 400, "validation_error");
    await expectError(
      await s.call("POST", path, { body: "name=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("is 409 for an external_id the business already uses, not for null or another business's", async () => {
    const s = await seedBusiness();
    const externalId = uniqueExternalId();
    await createPayee(s, newPayee({ external_id: externalId }));
    await warmAuth(s);
    const res = await s.call("POST", path, { json: newPayee({ external_id: externalId, name: "Other" }) });
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const error = await expectError(res, 409, "conflict");
    expect(error.fields).toHaveProperty("external_id");

    await createPayee(s, newPayee({ external_id: null }));
    await createPayee(s, newPayee({ external_id: null }));
    const other = await seedBusiness();
    await createPayee(other, newPayee({ external_id: externalId }));
  });

  it("turns concurrent creates of one external_id into one 201 and 409s, never a 500", async () => {
    const s = await seedBusiness();
    const body = newPayee();
    const statuses = await Promise.all(Array.from({ length: 8 }, () => s.call("POST", path, { json: body }).then((r) => r.status)));
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(7);
  });

  it("replays an Idempotency-Key and refuses it for another body (422)", async () => {
    const s = await seedBusiness();
    const key = `idem-${uniqueExternalId()}`;
    const body = newPayee();
    const first = await s.call("POST", path, { json: body, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const replay = await s.call("POST", path, { json: body, headers: { "Idempotency-Key": key } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.json()).toEqual(firstBody);
    await expectError(await s.call("POST", path, { json: newPayee(), headers: { "Idempotency-Key": key } }), 422, "idempotency_key_reused");
    const list = (await (await s.call("GET", path)).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    await expectError(await call("POST", path, { json: newPayee() }), 401, "unauthorized");
    await expectError(await call("POST", path, { json: newPayee(), headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("POST", path, { json: newPayee() }), 403, "insufficient_scope");
  });
});
