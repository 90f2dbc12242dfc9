import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { createPayee, listAll, newPayee, type PayeeJson, uniqueExternalId, warmAuth } from "./helpers";

const path = "/api/v1/payees/upsert";

async function upsert(s: Awaited<ReturnType<typeof seedBusiness>>, body: Record<string, unknown>) {
  const res = await s.call("POST", path, { json: body });
  return { res, status: res.status, stats: await sqlStats(res) };
}

describe("POST /api/v1/payees/upsert", () => {
  it("create_only creates (201) a missing payee and is 409 for an existing one, one round trip each", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const external_id = uniqueExternalId();
    const body = { external_id, operation: "create_only", name: "Northwind Partner", type: "affiliate", status: "active" };
    const created = await upsert(s, body);
    expect(created.status).toBe(201);
    expect(created.stats).toMatchObject({ requests: 1 });
    const { data } = (await created.res.json()) as { data: PayeeJson };
    expect(data).toMatchObject({ external_id, name: "Northwind Partner", type: "affiliate", status: "active", hold_status: "none" });

    const again = await upsert(s, { ...body, name: "Changed" });
    expect(again.stats).toMatchObject({ requests: 1 });
    const error = await expectError(again.res, 409, "conflict");
    expect(error.fields).toHaveProperty("external_id");
    expect((await listAll(s)).map((p) => p.name)).toEqual(["Northwind Partner"]);
  });

  it("update_only is 404 for a missing payee and updates (200) only the fields sent", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const external_id = uniqueExternalId();
    const missing = await upsert(s, { external_id, operation: "update_only", status: "inactive" });
    expect(missing.stats).toMatchObject({ requests: 1 });
    await expectError(missing.res, 404, "not_found");
    expect(await listAll(s)).toEqual([]);

    const original = await createPayee(s, newPayee({ external_id, contact_email: "a@northwind.example", default_fallback_percent: "5" }));
    const updated = await upsert(s, { external_id, operation: "update_only", status: "inactive", contact_email: null });
    expect(updated.status).toBe(200);
    expect(updated.stats).toMatchObject({ requests: 1 });
    const { data } = (await updated.res.json()) as { data: PayeeJson };
    expect(data).toEqual({
      ...original,
      status: "inactive",
      contact_email: null,
      updated_at: expect.any(String),
    });
    expect(data.updated_at >= original.updated_at).toBe(true);
  });

  it("create_or_update creates (201) then updates (200) the same payee", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const external_id = uniqueExternalId();
    const body = { external_id, operation: "create_or_update", name: "Northwind Partner", type: "affiliate" };
    const first = await upsert(s, body);
    expect(first.status).toBe(201);
    expect(first.stats).toMatchObject({ requests: 1 });
    const created = ((await first.res.json()) as { data: PayeeJson }).data;
    const second = await upsert(s, { ...body, type: "agency", hold_status: "on_hold", hold_reason: "Missing tax form" });
    expect(second.status).toBe(200);
    expect(second.stats).toMatchObject({ requests: 1 });
    const updated = ((await second.res.json()) as { data: PayeeJson }).data;
    expect(updated).toMatchObject({ id: created.id, type: "agency", hold_status: "on_hold", hold_reason: "Missing tax form" });
    expect(await listAll(s)).toHaveLength(1);
  });

  it("create_or_update of a missing payee without name or type is a 400 naming the missing fields", async () => {
    const s = await seedBusiness();
    const external_id = uniqueExternalId();
    const error = await expectError(
      await s.call("POST", path, { json: { external_id, operation: "create_or_update", status: "inactive" } }),
      400,
      "validation_error",
    );
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["name", "type"]);
    const onlyType = await expectError(
      await s.call("POST", path, { json: { external_id, operation: "create_or_update", name: "Northwind" } }),
      400,
      "validation_error",
    );
    expect(Object.keys(onlyType.fields ?? {})).toEqual(["type"]);
    expect(await listAll(s)).toEqual([]);
    // The same body updates a payee that exists.
    await createPayee(s, newPayee({ external_id }));
    const res = await s.call("POST", path, { json: { external_id, operation: "create_or_update", status: "inactive" } });
    expect(res.status).toBe(200);
  });

  it("releasing a hold clears its reason", async () => {
    const s = await seedBusiness();
    const external_id = uniqueExternalId();
    await createPayee(s, newPayee({ external_id, hold_status: "on_hold", hold_reason: "Missing tax form" }));
    const res = await s.call("POST", path, { json: { external_id, operation: "update_only", hold_status: "none" } });
    expect(((await res.json()) as { data: PayeeJson }).data).toMatchObject({ hold_status: "none", hold_reason: null });
  });

  it.each([
    ["external_id missing", { external_id: undefined }, "external_id"],
    ["external_id null", { external_id: null }, "external_id"],
    ["external_id over 255", { external_id: "x".repeat(256) }, "external_id"],
    ["operation missing", { operation: undefined }, "operation"],
    ["operation unknown", { operation: "replace" }, "operation"],
    ["create_only without name", { operation: "create_only", name: undefined }, "name"],
    ["create_only without type", { operation: "create_only", type: undefined }, "type"],
    ["name too long", { name: "n".repeat(256) }, "name"],
    ["type unknown", { type: "robot" }, "type"],
    ["email invalid", { contact_email: "nope" }, "contact_email"],
    ["percent over 100", { default_fallback_percent: "101" }, "default_fallback_percent"],
    ["threshold negative", { minimum_payout_threshold: "-5" }, "minimum_payout_threshold"],
    ["hold_reason without on_hold", { hold_reason: "Missing tax form" }, "hold_reason"],
  ])("rejects %s", async (_, overrides, field) => {
    const s = await seedBusiness();
    const body = JSON.parse(
      JSON.stringify({ external_id: uniqueExternalId(), operation: "create_or_update", name: "N", type: "company", ...overrides }),
    );
    const error = await expectError(await s.call("POST", path, { json: body }), 400, "validation_error");
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
    expect(await listAll(s)).toEqual([]);
  });

  it("rejects an update with no field to change, unknown fields and server-owned fields", async () => {
    const s = await seedBusiness();
    const external_id = uniqueExternalId();
    await expectError(await s.call("POST", path, { json: { external_id, operation: "update_only" } }), 400, "validation_error");
    for (const extra of [{ id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w" }, { updated_at: "2026-01-01T00:00:00Z" }, { color: "blue" }]) {
      const body = { external_id, operation: "create_or_update", name: "N", type: "company", ...extra };
      const error = await expectError(await s.call("POST", path, { json: body }), 400, "validation_error");
      const key = Object.keys(extra)[0]!;
      expect(error.fields?.[key]?.join(" ")).toContain(key);
    }
  });

  it("only sees its own business: another business's external_id is missing here", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const external_id = uniqueExternalId();
    const theirs = await createPayee(other, newPayee({ external_id }));
    await expectError(await s.call("POST", path, { json: { external_id, operation: "update_only", name: "Mine" } }), 404, "not_found");
    const res = await s.call("POST", path, { json: { external_id, operation: "create_or_update", name: "Mine", type: "company" } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { data: PayeeJson }).data.id).not.toBe(theirs.id);
    const still = (await (await other.call("GET", `/api/v1/payees/${theirs.id}`)).json()) as { data: PayeeJson };
    expect(still.data.name).toBe(theirs.name);
  });

  it("turns concurrent create_or_update of one new external_id into success or 409, never a 500 or a duplicate", async () => {
    const s = await seedBusiness();
    const body = { external_id: uniqueExternalId(), operation: "create_or_update", name: "N", type: "company" };
    const statuses = await Promise.all(Array.from({ length: 6 }, () => s.call("POST", path, { json: body }).then((r) => r.status)));
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.every((x) => x === 201 || x === 200 || x === 409)).toBe(true);
    expect(await listAll(s)).toHaveLength(1);
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    const body = { external_id: "partner_001", operation: "create_or_update", name: "N", type: "company" };
    await expectError(await call("POST", path, { json: body }), 401, "unauthorized");
    await expectError(await call("POST", path, { json: body, headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("POST", path, { json: body }), 403, "insufficient_scope");
  });
});
