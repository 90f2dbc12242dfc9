import { describe, expect, it } from "vitest";
import { expectError, manyAtOnce, seedBusiness, sqlStats } from "../../harness";
import { allocation, getOk, newRequest, type PayoutRequestJson, put, putOk, uniqueId, warmAuth } from "./helpers";

// Every response body is read: workerd keeps an unread body's connection, and 100 of them stall.

describe("ETag and If-Match", () => {
  it("every answer carries the version as ETag; If-Match with it applies, a stale one is a 412 that changes nothing", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    await warmAuth(s);
    const id = uniqueId();
    const v1 = await putOk(s, id, newRequest(), 201);
    expect(v1.etag).toBe('"1"');
    const v2 = await putOk(s, id, newRequest({ description: "two" }), 200, { "If-Match": v1.etag });
    expect(v2.etag).toBe('"2"');

    const stale = await put(s, id, newRequest({ description: "three" }), { "If-Match": v1.etag });
    expect(await sqlStats(stale)).toMatchObject({ requests: 1 });
    expect(stale.headers.get("ETag")).toBe('"2"');
    const error = await expectError(stale, 412, "precondition_failed");
    expect(error.message).toContain('"2"');
    expect((await getOk(s, id)).data).toEqual(v2.data);

    // A list of tags matches if any does; weak tags never match; * matches any existing version.
    await putOk(s, id, newRequest({ description: "three" }), 200, { "If-Match": `"9", ${v2.etag}` });
    await expectError(await put(s, id, newRequest({ description: "four" }), { "If-Match": 'W/"3"' }), 412, "precondition_failed");
    await putOk(s, id, newRequest({ description: "four" }), 200, { "If-Match": "*" });
    // If-Match on a request that does not exist creates nothing.
    const ghost = uniqueId();
    await expectError(await put(s, ghost, newRequest(), { "If-Match": "*" }), 412, "precondition_failed");
    await expectError(await s.call("GET", `/api/v1/payout-requests/${ghost}`), 404, "not_found");
  });

  it("a GET with If-None-Match naming the current ETag is a 304 without a body", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    const id = uniqueId();
    const v1 = await putOk(s, id, newRequest(), 201);
    const fresh = await s.call("GET", `/api/v1/payout-requests/${id}`, { headers: { "If-None-Match": v1.etag } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("ETag")).toBe(v1.etag);
    expect(await fresh.text()).toBe("");
    await putOk(s, id, newRequest({ description: "new" }), 200);
    const changed = await s.call("GET", `/api/v1/payout-requests/${id}`, { headers: { "If-None-Match": v1.etag } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as PayoutRequestJson).description).toBe("new");
  });

  it("a refused PUT answers the current ETag too, so the client can re-read and retry", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    const id = uniqueId();
    await putOk(s, id, newRequest({ allocations: [allocation("a", 10, "approved")] }), 201);
    const res = await put(s, id, newRequest());
    expect(res.headers.get("ETag")).toBe('"1"');
    await expectError(res, 409, "conflict");
  });

  it("30 concurrent read-modify-write clients with If-Match: exactly the amount gets allocated, nothing lost", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    await warmAuth(s);
    const id = uniqueId();
    await putOk(s, id, newRequest({ amount: 5 }), 201);
    // Each client read-modify-writes: GET, add its own approved allocation of 1, PUT with If-Match;
    // on 412 it re-reads and tries again. Exactly 5 can succeed.
    const attempt = async (i: number): Promise<"added" | "full"> => {
      for (;;) {
        const { data, etag } = await getOk(s, id);
        const allocations = [...data.allocations, allocation(`t${i}`, 1, "approved")];
        const res = await put(s, id, { ...data, allocations }, { "If-Match": etag });
        const body = (await res.json()) as { error: { code: string } };
        if (res.status === 200) return "added";
        if (body.error.code === "allocation_exceeds_amount") return "full";
        expect(body.error.code).toBe("precondition_failed");
      }
    };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(i)));
    expect(results.filter((r) => r === "added")).toHaveLength(5);
    const { data } = await getOk(s, id);
    expect(data).toMatchObject({ status: "fulfilled", availableAmount: 0 });
    expect(data.allocations).toHaveLength(5);
  });

  it("without If-Match, 100 concurrent PUTs are serialized: no approved allocation is lost, the amount never exceeded", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    await warmAuth(s);
    const id = uniqueId();
    await putOk(s, id, newRequest({ amount: 10 }), 201);
    // Every PUT is built from the same stale read: the first to land adds its allocation; every
    // later one would remove that approved allocation, so it must be refused, not applied.
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => put(s, id, newRequest({ amount: 10, allocations: [allocation(`t${i}`, 4, "approved")] }))),
    );
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(statuses.filter((st) => st === 200)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(99);
    const { data } = await getOk(s, id);
    expect(data.allocations).toHaveLength(1);
    expect(data.availableAmount).toBe(6);

    // Concurrent PUTs that each carry the full, valid list: whatever order they land in, the
    // stored sum of approved and unknown allocations stays within the amount.
    const lists = Array.from({ length: 40 }, (_, i) => [data.allocations[0], allocation(`u${i}`, 6, i % 2 ? "unknown" : "approved")]);
    const more = await Promise.all(lists.map((allocations) => put(s, id, { ...newRequest({ amount: 10 }), allocations })));
    const bodies = (await Promise.all(more.map((r) => r.json()))) as (PayoutRequestJson | { error: { code: string } })[];
    for (const [i, r] of more.entries()) expect([200, 409], JSON.stringify(bodies[i])).toContain(r.status);
    const final = (await getOk(s, id)).data;
    const committed = final.allocations
      .filter((a) => a.transactionResult === "approved" || a.transactionResult === "unknown")
      .reduce((sum, a) => sum + a.amount * 100, 0);
    expect(committed).toBeLessThanOrEqual(1000);
    expect(final.availableAmount).toBeGreaterThanOrEqual(0);
  });
});

describe("concurrent creates of one new id", () => {
  it("create it once: one 201, the others update or repeat it (200), none fails", async () => {
    const s = await seedBusiness({ rateLimit: manyAtOnce });
    await warmAuth(s);
    const id = uniqueId();
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => put(s, id, newRequest({ description: `d${i % 2}` }))));
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 200)).toHaveLength(19);
    const { data } = await getOk(s, id);
    expect(["d0", "d1"]).toContain(data.description);
  });
});
