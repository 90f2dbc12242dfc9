import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { batch, createPayee, listAll, newPayee, seedPayees, uniqueExternalId, warmAuth } from "./helpers";

const path = "/api/v1/payees/batch/upsert";

describe("POST /api/v1/payees/batch/upsert", () => {
  it("upserts the source page's example: created first (201), updated after (200)", async () => {
    const s = await seedBusiness();
    const record = { external_id: "partner_001", operation: "create_or_update", name: "Northwind Partner", type: "affiliate" };
    const first = await batch(s, "POST", "/batch/upsert", [record]);
    expect(first.body.data[0]).toMatchObject({ index: 0, success: true, status: 201, response: { data: { external_id: "partner_001" } } });
    const second = await batch(s, "POST", "/batch/upsert", [{ ...record, name: "Northwind Partners" }]);
    expect(second.body).toEqual({
      data: [{ index: 0, success: true, status: 200, response: { data: expect.objectContaining({ name: "Northwind Partners" }) } }],
      meta: { processed: 1, succeeded: 1, failed: 0, limit: 100 },
    });
    expect(await listAll(s)).toHaveLength(1);
  });

  it("upserts 100 records, half new and half existing, in one round trip", async () => {
    const s = await seedBusiness();
    const existing = await seedPayees(s, 50);
    await warmAuth(s);
    const records = [
      ...existing.map((p) => ({ external_id: p.external_id, operation: "create_or_update", status: "inactive" })),
      ...Array.from({ length: 50 }, (_, i) => ({
        external_id: uniqueExternalId(),
        operation: "create_or_update",
        name: `New ${i}`,
        type: "company",
      })),
    ];
    const { res, body } = await batch(s, "POST", "/batch/upsert", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.meta).toEqual({ processed: 100, succeeded: 100, failed: 0, limit: 100 });
    expect(body.data.map((d) => d.status)).toEqual([...Array(50).fill(200), ...Array(50).fill(201)]);
    const listed = await listAll(s);
    expect(listed).toHaveLength(100);
    expect(listed.filter((p) => p.status === "inactive").map((p) => p.id)).toEqual(existing.map((p) => p.id));
  });

  it("fails each bad record alone with its own status", async () => {
    const s = await seedBusiness();
    const existing = await createPayee(s, newPayee({ name: "Existing" }));
    const dup = uniqueExternalId();
    const fresh = uniqueExternalId();
    await warmAuth(s);
    const records = [
      { external_id: existing.external_id, operation: "update_only", name: "Updated" }, // 200
      { external_id: uniqueExternalId(), operation: "update_only", name: "Nobody" }, // 404
      { external_id: existing.external_id, operation: "create_only", name: "Again", type: "company" }, // 409 (and a duplicate key)
      { external_id: fresh, operation: "create_only", name: "Fresh", type: "agency" }, // 201
      { external_id: dup, operation: "create_or_update", name: "Dup first", type: "company" }, // 201
      { external_id: dup, operation: "create_or_update", name: "Dup second", type: "company" }, // 409 duplicate in batch
      { external_id: uniqueExternalId(), operation: "create_or_update", status: "pending" }, // 400: cannot create without name, type
      { operation: "create_or_update", name: "No key", type: "company" }, // 400: external_id required
      { external_id: uniqueExternalId(), operation: "merge", name: "X", type: "company" }, // 400: operation
      { external_id: uniqueExternalId(), operation: "create_only", name: "X", type: "company", id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w" }, // 400
    ];
    const { res, body } = await batch(s, "POST", "/batch/upsert", records);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(body.data.map((d) => d.status)).toEqual([200, 404, 409, 201, 201, 409, 400, 400, 400, 400]);
    expect(body.meta).toEqual({ processed: 10, succeeded: 3, failed: 7, limit: 100 });
    const error = (i: number) => {
      const item = body.data[i]!;
      if (item.success) throw new Error(`record ${i} should have failed`);
      return item.error;
    };
    expect(error(1)).toMatchObject({ type: "not_found_error", code: "not_found" });
    expect(error(2)).toMatchObject({
      type: "conflict_error",
      code: "conflict",
      fields: { external_id: ["Duplicate of record 0 in this batch"] },
    });
    expect(error(5)).toMatchObject({ code: "conflict", fields: { external_id: ["Duplicate of record 4 in this batch"] } });
    expect(Object.keys(error(6).fields ?? {}).sort()).toEqual(["name", "type"]);
    expect(error(7).fields).toHaveProperty("external_id");
    expect(error(8).fields).toHaveProperty("operation");
    expect(error(9).fields?.id?.join()).toContain("id");

    const listed = await listAll(s);
    expect(listed.map((p) => p.name)).toEqual(["Updated", "Fresh", "Dup first"]);
  });

  it("reports create_only on an existing payee as 409 even without a duplicate in the batch", async () => {
    const s = await seedBusiness();
    const existing = await createPayee(s);
    const { body } = await batch(s, "POST", "/batch/upsert", [
      { external_id: existing.external_id, operation: "create_only", name: "Again", type: "company" },
    ]);
    expect(body.data[0]).toMatchObject({ success: false, status: 409, error: { code: "conflict" } });
    expect((await listAll(s)).map((p) => p.name)).toEqual([existing.name]);
  });

  it("does not touch another business's payee with the same external_id", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const theirs = await createPayee(other);
    const missing = await batch(s, "POST", "/batch/upsert", [
      { external_id: theirs.external_id, operation: "update_only", name: "Hijack" },
    ]);
    expect(missing.body.data.map((d) => d.status)).toEqual([404]);
    const created = await batch(s, "POST", "/batch/upsert", [
      { external_id: theirs.external_id, operation: "create_or_update", name: "Mine", type: "company" },
    ]);
    expect(created.body.data.map((d) => d.status)).toEqual([201]);
    expect(((await (await other.call("GET", `/api/v1/payees/${theirs.id}`)).json()) as { data: unknown }).data).toEqual(theirs);
  });

  it.each([
    ["an empty batch", { records: [] }],
    [
      "101 records",
      {
        records: Array.from({ length: 101 }, () => ({
          external_id: uniqueExternalId(),
          operation: "create_only",
          name: "N",
          type: "company",
        })),
      },
    ],
    ["records missing", {}],
    ["a string record", { records: ["x"] }],
  ])("rejects %s as a whole (400)", async (_, json) => {
    const s = await seedBusiness();
    await expectError(await s.call("POST", path, { json }), 400, "validation_error");
    expect(await listAll(s)).toEqual([]);
  });

  it("replays an Idempotency-Key with the first results and refuses it for another body", async () => {
    const s = await seedBusiness();
    const key = `idem-${uniqueExternalId()}`;
    const json = { records: [{ external_id: uniqueExternalId(), operation: "create_only", name: "N", type: "company" }] };
    const first = await s.call("POST", path, { json, headers: { "Idempotency-Key": key } });
    const firstBody = await first.json();
    const replay = await s.call("POST", path, { json, headers: { "Idempotency-Key": key } });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    // Without the key, the retry would have been a 409 for the record; the replay is the original 201.
    expect(await replay.json()).toEqual(firstBody);
    await expectError(
      await s.call("POST", path, { json: { records: [] }, headers: { "Idempotency-Key": key } }),
      422,
      "idempotency_key_reused",
    );
  });

  it("needs an API key (401) with write:payees (403)", async () => {
    const json = { records: [{ external_id: "partner_001", operation: "create_or_update", name: "N", type: "company" }] };
    await expectError(await call("POST", path, { json }), 401, "unauthorized");
    await expectError(await call("POST", path, { json, headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await reader.call("POST", path, { json }), 403, "insufficient_scope");
  });
});
