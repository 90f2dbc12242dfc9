import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { batch, createPayee, listAll, type PayeeJson, seedPayees, uniqueExternalId, warmAuth } from "./helpers";

const path = "/api/v1/payees/batch";

describe("PUT /api/v1/payees/batch", () => {
  it("updates the source page's example", async () => {
    const s = await seedBusiness();
    const p = await createPayee(s);
    const { body } = await batch(s, "PUT", "/batch", [{ id: p.id, status: "inactive" }]);
    expect(body).toEqual({
      data: [{ index: 0, success: true, status: 200, response: { data: { ...p, status: "inactive", updated_at: expect.any(String) } } }],
      meta: { processed: 1, succeeded: 1, failed: 0, limit: 100 },
    });
  });

  it("updates 100 payees in one round trip, each with its own fields", async () => {
    const s = await seedBusiness();
    const payees = await seedPayees(s, 100);
    await warmAuth(s);
    const records = payees.map((p, i) => ({ id: p.id, name: `Renamed ${i}`, minimum_payout_threshold: `${i}.5` }));
    const { res, body } = await batch(s, "PUT", "/batch", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.meta).toEqual({ processed: 100, succeeded: 100, failed: 0, limit: 100 });
    const listed = await listAll(s);
    expect(listed.map((p) => [p.name, p.minimum_payout_threshold])).toEqual(payees.map((_, i) => [`Renamed ${i}`, `${i}.50`]));
  });

  it("fails each bad record alone: invalid 400, unknown or foreign id 404, duplicates and taken external_id 409", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const [a, b, c, d] = await seedPayees(s, 4);
    const theirs = await createPayee(other);
    const newKey = uniqueExternalId();
    await warmAuth(s);
    const records = [
      { id: a!.id, name: "A renamed" }, // 200
      { id: theirs.id, name: "Hijack" }, // 404: another business's payee
      { id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w", name: "Ghost" }, // 404: no such payee
      { id: "batch", name: "Not an id" }, // 404 without a lookup
      { id: a!.id, name: "A again" }, // 409: same payee twice
      { id: b!.id, external_id: c!.external_id }, // 409: external_id held by c
      { id: c!.id, external_id: newKey }, // 200
      { id: d!.id, external_id: newKey }, // 409: same new external_id as record 6
      { id: d!.id, hold_reason: "no hold" }, // 400
      { name: "no id" }, // 400
      { id: b!.id }, // 400: nothing to change
      { id: b!.id, created_at: "2026-01-01T00:00:00Z" }, // 400: server-owned
    ];
    const { res, body } = await batch(s, "PUT", "/batch", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.data.map((x) => x.status)).toEqual([200, 404, 404, 404, 409, 409, 200, 409, 400, 400, 400, 400]);
    expect(body.meta).toEqual({ processed: 12, succeeded: 2, failed: 10, limit: 100 });
    const error = (i: number) => {
      const item = body.data[i]!;
      if (item.success) throw new Error(`record ${i} should have failed`);
      return item.error;
    };
    expect(error(1)).toMatchObject({ type: "not_found_error", code: "not_found" });
    expect(error(4)).toMatchObject({ code: "conflict", fields: { id: ["Duplicate of record 0 in this batch"] } });
    expect(error(5)).toMatchObject({ code: "conflict", fields: { external_id: expect.any(Array) } });
    expect(error(7)).toMatchObject({ code: "conflict", fields: { external_id: ["Duplicate of record 6 in this batch"] } });
    expect(error(8).fields).toHaveProperty("hold_reason");
    expect(error(9).fields).toHaveProperty("id");

    const byId = new Map((await listAll(s)).map((p) => [p.id, p]));
    expect(byId.get(a!.id)!.name).toBe("A renamed");
    expect(byId.get(b!.id)).toEqual(b);
    expect(byId.get(c!.id)!.external_id).toBe(newKey);
    expect(byId.get(d!.id)).toEqual(d);
    const still = (await (await other.call("GET", `/api/v1/payees/${theirs.id}`)).json()) as { data: PayeeJson };
    expect(still.data).toEqual(theirs);
  });

  it.each([
    ["an empty batch", { records: [] }],
    ["101 records", { records: Array.from({ length: 101 }, () => ({ id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w", name: "N" })) }],
    ["a single payee's body", { id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w", name: "N" }],
    ["records of arrays", { records: [[]] }],
  ])("rejects %s as a whole (400)", async (_, json) => {
    const s = await seedBusiness();
    const error = await expectError(await s.call("PUT", path, { json }), 400, "validation_error");
    expect(Object.keys(error.fields ?? {}).some((k) => k.startsWith("records"))).toBe(true);
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    const json = { records: [{ id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w", name: "N" }] };
    await expectError(await call("PUT", path, { json }), 401, "unauthorized");
    await expectError(await call("PUT", path, { json, headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("PUT", path, { json }), 403, "insufficient_scope");
  });
});
