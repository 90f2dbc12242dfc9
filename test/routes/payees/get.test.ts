import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { createPayee, newPayee, warmAuth } from "./helpers";

describe("GET /api/v1/payees/{id}", () => {
  it("returns every field of the payee in one round trip", async () => {
    const s = await seedBusiness();
    const created = await createPayee(
      s,
      newPayee({
        external_id: "partner_001",
        contact_email: "partners@northwind.example",
        hold_status: "on_hold",
        hold_reason: "Missing tax form",
        default_fallback_percent: "12.5",
        minimum_payout_threshold: "1000",
      }),
    );
    await warmAuth(s);
    const res = await s.call("GET", `/api/v1/payees/${created.id}`);
    expect(res.status).toBe(200);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toEqual({
      id: created.id,
      external_id: "partner_001",
      name: "Northwind Partner",
      type: "affiliate",
      status: "active",
      contact_email: "partners@northwind.example",
      hold_status: "on_hold",
      hold_reason: "Missing tax form",
      default_fallback_percent: "12.50",
      minimum_payout_threshold: "1000.00",
      created_at: created.created_at,
      updated_at: created.updated_at,
    });
    expect(data.id).toMatch(/^pye_[0-9a-z]{26}$/);
    expect(new Date(data.created_at as string).toISOString()).toBe(data.created_at);
  });

  it("is 404 for an unknown id and for another business's payee", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const theirs = await createPayee(other);
    await expectError(await s.call("GET", "/api/v1/payees/pye_01jz8k6q4m0x3v7e2c5n9r1t8w"), 404, "not_found");
    await expectError(await s.call("GET", `/api/v1/payees/${theirs.id}`), 404, "not_found");
    expect((await other.call("GET", `/api/v1/payees/${theirs.id}`)).status).toBe(200);
  });

  it("never looks up the literal 'batch' (or any non-id) in the database", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    for (const path of ["/api/v1/payees/not-an-id", "/api/v1/payees/PYE_01JZ8K6Q4M0X3V7E2C5N9R1T8W"]) {
      const res = await s.call("GET", path);
      expect(await sqlStats(res)).toMatchObject({ requests: 0 });
      await expectError(res, 404, "not_found");
    }
  });

  it("needs an API key (401) with read:payees (403)", async () => {
    const owner = await seedBusiness();
    const payee = await createPayee(owner);
    await expectError(await call("GET", `/api/v1/payees/${payee.id}`), 401, "unauthorized");
    await expectError(await call("GET", `/api/v1/payees/${payee.id}`, { headers: { Authorization: "Bearer wrong" } }), 401, "unauthorized");
    const writer = await seedBusiness({ scopes: ["write:payees"] });
    await expectError(await writer.call("GET", `/api/v1/payees/${payee.id}`), 403, "insufficient_scope");
  });
});
