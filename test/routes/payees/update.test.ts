import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { createPayee, newPayee, type PayeeJson, uniqueExternalId, warmAuth } from "./helpers";

const at = (id: string) => `/api/v1/payees/${id}`;

describe("PUT /api/v1/payees/{id}", () => {
  it("changes only the fields sent, in one round trip (the source page's example)", async () => {
    const s = await seedBusiness();
    const original = await createPayee(s, newPayee({ contact_email: "a@northwind.example", minimum_payout_threshold: "10" }));
    await warmAuth(s);
    const res = await s.call("PUT", at(original.id), {
      json: { status: "inactive", hold_status: "on_hold", hold_reason: "Missing tax form" },
    });
    expect(res.status).toBe(200);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const { data } = (await res.json()) as { data: PayeeJson };
    expect(data).toEqual({
      ...original,
      status: "inactive",
      hold_status: "on_hold",
      hold_reason: "Missing tax form",
      updated_at: expect.any(String),
    });
    const fetched = (await (await s.call("GET", at(original.id))).json()) as { data: PayeeJson };
    expect(fetched.data).toEqual(data);
  });

  it("clears nullable fields sent as null, and the hold reason when the hold is released", async () => {
    const s = await seedBusiness();
    const p = await createPayee(
      s,
      newPayee({ contact_email: "a@northwind.example", default_fallback_percent: "5", hold_status: "on_hold", hold_reason: "Review" }),
    );
    const cleared = await s.call("PUT", at(p.id), { json: { contact_email: null, default_fallback_percent: null, external_id: null } });
    expect(((await cleared.json()) as { data: PayeeJson }).data).toMatchObject({
      contact_email: null,
      default_fallback_percent: null,
      external_id: null,
      hold_reason: "Review",
    });
    // Placing the hold again without a reason keeps the reason it has.
    const kept = await s.call("PUT", at(p.id), { json: { hold_status: "on_hold" } });
    expect(((await kept.json()) as { data: PayeeJson }).data.hold_reason).toBe("Review");
    const released = await s.call("PUT", at(p.id), { json: { hold_status: "none" } });
    expect(((await released.json()) as { data: PayeeJson }).data).toMatchObject({ hold_status: "none", hold_reason: null });
  });

  it.each([
    ["an empty body", {}, "_"],
    ["name null", { name: null }, "name"],
    ["name empty", { name: "" }, "name"],
    ["type unknown", { type: "robot" }, "type"],
    ["status null", { status: null }, "status"],
    ["email invalid", { contact_email: "x@" }, "contact_email"],
    ["hold_reason without hold_status", { hold_reason: "Missing tax form" }, "hold_reason"],
    ["hold_reason while releasing", { hold_status: "none", hold_reason: "x" }, "hold_reason"],
    ["percent with 3 places", { default_fallback_percent: "1.001" }, "default_fallback_percent"],
    ["threshold negative", { minimum_payout_threshold: -1 }, "minimum_payout_threshold"],
    ["an unknown field", { color: "blue", status: "inactive" }, "color"],
    ["the id", { id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w", status: "inactive" }, "id"],
    ["created_at", { created_at: "2026-01-01T00:00:00Z", status: "inactive" }, "created_at"],
  ])("rejects %s", async (_, body, field) => {
    const s = await seedBusiness();
    const p = await createPayee(s);
    const error = await expectError(await s.call("PUT", at(p.id), { json: body }), 400, "validation_error");
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
    const fetched = (await (await s.call("GET", at(p.id))).json()) as { data: PayeeJson };
    expect(fetched.data).toEqual(p);
  });

  it("is 409 when the new external_id belongs to another payee, and allows keeping its own", async () => {
    const s = await seedBusiness();
    const a = await createPayee(s);
    const b = await createPayee(s);
    await warmAuth(s);
    const res = await s.call("PUT", at(b.id), { json: { external_id: a.external_id } });
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const error = await expectError(res, 409, "conflict");
    expect(error.fields).toHaveProperty("external_id");
    const same = await s.call("PUT", at(b.id), { json: { external_id: b.external_id, name: "Renamed" } });
    expect(same.status).toBe(200);
    const fresh = uniqueExternalId();
    const moved = await s.call("PUT", at(b.id), { json: { external_id: fresh } });
    expect(((await moved.json()) as { data: PayeeJson }).data.external_id).toBe(fresh);
  });

  it("turns concurrent moves of payees to one external_id into one 200 and 409s, never a 500", async () => {
    const s = await seedBusiness();
    const payees = await Promise.all(Array.from({ length: 6 }, () => createPayee(s)));
    const target = uniqueExternalId();
    const statuses = await Promise.all(payees.map((p) => s.call("PUT", at(p.id), { json: { external_id: target } }).then((r) => r.status)));
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(5);
  });

  it("is 404 for an unknown id and for another business's payee, which stays unchanged", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const theirs = await createPayee(other);
    await warmAuth(s);
    const res = await s.call("PUT", at(theirs.id), { json: { name: "Hijacked" } });
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    await expectError(res, 404, "not_found");
    await expectError(await s.call("PUT", at("pye_01jz8k6q4m0x3v7e2c5n9r1t8w"), { json: { name: "X" } }), 404, "not_found");
    const still = (await (await other.call("GET", at(theirs.id))).json()) as { data: PayeeJson };
    expect(still.data).toEqual(theirs);
  });

  it("treats PUT /batch as the batch route, never as an update of a payee called 'batch'", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const res = await s.call("PUT", "/api/v1/payees/batch", { json: { status: "inactive" } });
    expect(await sqlStats(res)).toMatchObject({ requests: 0 });
    const error = await expectError(res, 400, "validation_error");
    expect(error.fields).toHaveProperty("records");
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    const owner = await seedBusiness();
    const p = await createPayee(owner);
    await expectError(await call("PUT", at(p.id), { json: { name: "X" } }), 401, "unauthorized");
    await expectError(await call("PUT", at(p.id), { json: { name: "X" }, headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("PUT", at(p.id), { json: { name: "X" } }), 403, "insufficient_scope");
  });
});
