import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { allocation, getOk, newRequest, type PayoutRequestJson, path, put, putOk, uniqueId, warmAuth } from "./helpers";

async function listAll(s: Awaited<ReturnType<typeof seedBusiness>>, query: Record<string, string> = {}, limit = 200) {
  const all: PayoutRequestJson[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await s.call("GET", `/api/v1/payout-requests?${params}`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("ETag")).toMatch(/^W\/"/);
    const page = (await res.json()) as { data: PayoutRequestJson[]; meta: { next_cursor: string | null; limit: number } };
    expect(page.meta.limit).toBe(limit);
    all.push(...page.data);
    cursor = page.meta.next_cursor;
  } while (cursor);
  return all;
}

describe("GET /api/v1/payout-requests/{id}", () => {
  it("is a 404 for an unknown id and a 400 for a malformed one", async () => {
    const s = await seedBusiness();
    await expectError(await s.call("GET", path("nope")), 404, "not_found");
    await expectError(await s.call("GET", path("bad.id")), 400, "validation_error");
  });

  it("needs read:payout_requests (403) and a key (401)", async () => {
    const s = await seedBusiness({ scopes: ["write:payout_requests"] });
    await putOk(s, "pr-1", newRequest(), 201);
    await expectError(await s.call("GET", path("pr-1")), 403, "insufficient_scope");
    await expectError(await s.call("GET", "/api/v1/payout-requests"), 403, "insufficient_scope");
    await expectError(await call("GET", path("pr-1")), 401, "unauthorized");
  });
});

describe("tenancy", () => {
  it("another business's key sees a 404, and its PUT with the same id creates its own separate request", async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const id = uniqueId();
    const mine = await putOk(a, id, newRequest({ amount: 50, allocations: [allocation("t", 50, "approved")] }), 201);
    await expectError(await b.call("GET", path(id)), 404, "not_found");
    expect(await listAll(b)).toEqual([]);
    // If-Match of a's version does not reach a's request either.
    await expectError(await put(b, id, newRequest(), { "If-Match": mine.etag }), 412, "precondition_failed");
    const theirs = await putOk(b, id, newRequest({ amount: 7, customerId: "other" }), 201);
    expect(theirs.data).toMatchObject({ id, amount: 7, customerId: "other", status: "pending", allocations: [] });
    expect((await getOk(a, id)).data).toEqual(mine.data);
    await putOk(b, id, newRequest({ amount: 8 }), 200);
    expect((await getOk(a, id)).data).toEqual(mine.data);
  });
});

describe("GET /api/v1/payout-requests", () => {
  it("pages oldest first with an opaque cursor, one round trip a page", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const ids = ["zz", "aa", "mm", "bb", "yy"].map((p) => `${p}-${uniqueId()}`);
    for (const id of ids) await putOk(s, id, newRequest(), 201);
    expect((await listAll(s, {}, 2)).map((r) => r.id)).toEqual(ids);
    const res = await s.call("GET", "/api/v1/payout-requests?limit=2");
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    const page = (await res.json()) as { data: PayoutRequestJson[]; meta: { next_cursor: string } };
    expect(page.data.map((r) => r.id)).toEqual(ids.slice(0, 2));
    // An update does not move a request in the order.
    await putOk(s, ids[0]!, newRequest({ description: "changed" }), 200);
    expect((await listAll(s)).map((r) => r.id)).toEqual(ids);
  });

  it("filters by status, customerId, websiteId and batchId", async () => {
    const s = await seedBusiness();
    await putOk(s, "p1", newRequest({ customerId: "c1", websiteId: "w1", batchId: "b1" }), 201);
    await putOk(s, "p2", newRequest({ customerId: "c2", websiteId: "w1", allocations: [allocation("t", 100, "approved")] }), 201);
    await putOk(s, "p3", newRequest({ customerId: "c1", websiteId: "w2", batchId: "b1", paymentInstrumentId: "i" }), 201);
    const ids = async (q: Record<string, string>) => (await listAll(s, q)).map((r) => r.id);
    expect(await ids({ status: "fulfilled" })).toEqual(["p2"]);
    expect(await ids({ status: "instrument-selected" })).toEqual(["p3"]);
    expect(await ids({ customerId: "c1" })).toEqual(["p1", "p3"]);
    expect(await ids({ websiteId: "w1" })).toEqual(["p1", "p2"]);
    expect(await ids({ batchId: "b1", customerId: "c1", websiteId: "w2" })).toEqual(["p3"]);
  });

  it("refuses a bad limit, cursor, status or unknown parameter with a 400 naming it", async () => {
    const s = await seedBusiness();
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["status=done", "status"],
      ["color=red", "color"],
      ["cursor=abc", "cursor"],
    ] as const) {
      const res = await s.call("GET", `/api/v1/payout-requests?${query}`);
      const error = await expectError(res, 400, res.status === 400 && query.startsWith("cursor") ? "invalid_cursor" : "validation_error");
      expect(error.fields, query).toHaveProperty(field);
    }
    const notSeq = btoa(JSON.stringify({ v: 1, id: "x" })).replace(/=+$/, "");
    await expectError(await s.call("GET", `/api/v1/payout-requests?cursor=${notSeq}`), 400, "invalid_cursor");
  });
});
