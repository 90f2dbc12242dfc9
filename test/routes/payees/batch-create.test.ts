import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { batch, createPayee, listAll, newPayee, uniqueExternalId, warmAuth } from "./helpers";

const path = "/api/v1/payees/batch";

describe("POST /api/v1/payees/batch", () => {
  it("creates the source page's example (201 per record)", async () => {
    const s = await seedBusiness();
    const { body } = await batch(s, "POST", "/batch", [{ external_id: "partner_001", name: "Northwind Partner", type: "affiliate" }]);
    expect(body).toEqual({
      data: [
        {
          index: 0,
          success: true,
          status: 201,
          response: { data: expect.objectContaining({ id: expect.stringMatching(/^pye_/), external_id: "partner_001", status: "active" }) },
        },
      ],
      meta: { processed: 1, succeeded: 1, failed: 0, limit: 100 },
    });
  });

  it("creates 100 records in one round trip, in record order", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const records = Array.from({ length: 100 }, (_, i) => newPayee({ name: `Payee ${i}` }));
    const { res, body } = await batch(s, "POST", "/batch", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.meta).toEqual({ processed: 100, succeeded: 100, failed: 0, limit: 100 });
    expect(body.data.map((d) => d.index)).toEqual(records.map((_, i) => i));
    const listed = await listAll(s);
    expect(listed.map((p) => p.name)).toEqual(records.map((r) => r.name));
  });

  it("fails each bad record alone: invalid 400, duplicate in the batch 409, existing external_id 409", async () => {
    const s = await seedBusiness();
    const taken = (await createPayee(s)).external_id;
    const dup = uniqueExternalId();
    await warmAuth(s);
    const records = [
      newPayee({ name: "ok 0" }),
      newPayee({ name: "" }),
      newPayee({ external_id: dup, name: "first of dup" }),
      newPayee({ external_id: dup, name: "second of dup" }),
      newPayee({ external_id: taken, name: "taken" }),
      newPayee({ name: "ok 5", external_id: null }),
      newPayee({ name: "unknown field", nickname: "x" }),
      newPayee({ name: "hold reason alone", hold_reason: "why" }),
      newPayee({ name: "percent", default_fallback_percent: "250" }),
    ];
    const { res, body } = await batch(s, "POST", "/batch", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.data.map((d) => [d.index, d.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 201],
      [3, 409],
      [4, 409],
      [5, 201],
      [6, 400],
      [7, 400],
      [8, 400],
    ]);
    expect(body.meta).toEqual({ processed: 9, succeeded: 3, failed: 6, limit: 100 });
    const failure = (i: number) => {
      const item = body.data[i]!;
      if (item.success) throw new Error(`record ${i} should have failed`);
      return item.error;
    };
    expect(failure(1)).toMatchObject({ type: "invalid_request_error", code: "validation_error", fields: { name: expect.any(Array) } });
    expect(failure(1).request_id).toBe(res.headers.get("X-Request-Id"));
    expect(failure(3)).toMatchObject({
      type: "conflict_error",
      code: "conflict",
      fields: { external_id: ["Duplicate of record 2 in this batch"] },
    });
    expect(failure(4)).toMatchObject({ code: "conflict", fields: { external_id: expect.any(Array) } });
    expect(failure(6).fields?.nickname?.join()).toContain("nickname");
    expect(failure(7).fields).toHaveProperty("hold_reason");
    expect(failure(8).fields).toHaveProperty("default_fallback_percent");

    const names = (await listAll(s)).map((p) => p.name);
    expect(names).toEqual(["Northwind Partner", "ok 0", "first of dup", "ok 5"]);
  });

  it("writes nothing, and asks the database nothing, when every record is invalid", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const { res, body } = await batch(s, "POST", "/batch", [{ name: "no type" }, { type: "company" }]);
    expect(await sqlStats(res)).toMatchObject({ requests: 0 });
    expect(body.meta).toEqual({ processed: 2, succeeded: 0, failed: 2, limit: 100 });
  });

  it.each([
    ["an empty batch", { records: [] }],
    ["101 records", { records: Array.from({ length: 101 }, () => newPayee()) }],
    ["no records", {}],
    ["records not an array", { records: newPayee() }],
    ["a record that is not an object", { records: [newPayee(), 42] }],
    ["a single payee instead of a batch", newPayee()],
  ])("rejects %s as a whole (400) and writes nothing", async (_, json) => {
    const s = await seedBusiness();
    await expectError(await s.call("POST", path, { json }), 400, "validation_error");
    expect(await listAll(s)).toEqual([]);
  });

  it("is not a payee id: GET /batch is a 405 with Allow, without a database lookup", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const res = await s.call("GET", path);
    expect(await sqlStats(res)).toMatchObject({ requests: 0 });
    expect(res.headers.get("Allow")).toBe("POST, PUT");
    await expectError(res, 405, "method_not_allowed");
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    const json = { records: [newPayee()] };
    await expectError(await call("POST", path, { json }), 401, "unauthorized");
    await expectError(await call("POST", path, { json, headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("POST", path, { json }), 403, "insufficient_scope");
  });
});
