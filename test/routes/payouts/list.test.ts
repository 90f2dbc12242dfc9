import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../../src/http/pagination";
import { newId } from "../../../src/lib/ids";
import { call, expectError, type Seeded, seedBusiness, sqlStats } from "../../harness";
import { initiateOk, insertPayouts, type PayoutJson, type SeedPayout, sepaInitiation, walk } from "./helpers";

type ListJson = { payouts: PayoutJson[]; paging: { limit: number; offset: string | null; nextOffset: string | null; haveMore: boolean } };

const list = async (s: Seeded, query: string) => {
  const res = await s.call("GET", `/api/v1/payouts?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ListJson;
};
const ids = (body: ListJson) => body.payouts.map((p) => p.id);

/** Six payouts over three days, two statuses each way, two on behalf of "m1"; returned oldest first. */
async function seedSix(s: Seeded): Promise<SeedPayout[]> {
  const rows: SeedPayout[] = [
    { id: newId("payout"), refId: "a1", status: "INITIATION_PENDING", createdAt: "2026-03-01T00:00:00Z", onBehalfOfId: "m1" },
    { id: newId("payout"), refId: "a2", status: "INITIATION_COMPLETED", createdAt: "2026-03-01T23:59:59.999Z", onBehalfOfId: null },
    { id: newId("payout"), refId: "a3", status: "INITIATION_REJECTED", createdAt: "2026-03-02T12:00:00Z", onBehalfOfId: "m2" },
    { id: newId("payout"), refId: "a4", status: "INITIATION_COMPLETED", createdAt: "2026-03-02T23:00:00Z", onBehalfOfId: "m1" },
    { id: newId("payout"), refId: "a5", status: "INITIATION_FAILED", createdAt: "2026-03-03T00:00:00Z", onBehalfOfId: null },
    { id: newId("payout"), refId: "a6", status: "INITIATION_PROCESSING", createdAt: "2026-03-03T08:00:00Z", onBehalfOfId: "m2" },
  ];
  await insertPayouts(s.business.id, rows);
  return rows;
}

const newestFirst = (rows: SeedPayout[]) => rows.map((r) => r.id).reverse();

describe("GET /api/v1/payouts", () => {
  it("lists newest first in Token.io's shape, in one round trip", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const a = await initiateOk(s, sepaInitiation());
    const b = await initiateOk(s, sepaInitiation());
    const res = await s.call("GET", "/api/v1/payouts?limit=10");
    const body = (await res.json()) as ListJson;
    expect(ids(body)).toEqual([b.id, a.id]);
    // The lifecycle may already have moved it on; what it was created with does not change.
    expect(body.payouts[0]).toMatchObject({ id: b.id, initiation: b.initiation, createdDateTime: b.createdDateTime });
    expect(body.paging).toEqual({ limit: 10, offset: null, nextOffset: null, haveMore: false });
    expect((await sqlStats(res)).requests).toBe(1);
  });

  it("pages with the opaque offset", async () => {
    const s = await seedBusiness();
    const rows = await seedSix(s);
    const first = await list(s, "limit=4");
    expect(ids(first)).toEqual(newestFirst(rows).slice(0, 4));
    expect(first.paging.haveMore).toBe(true);
    const second = await list(s, `limit=4&offset=${first.paging.nextOffset}`);
    expect(ids(second)).toEqual(newestFirst(rows).slice(4));
    expect(second.paging).toEqual({ limit: 4, offset: first.paging.nextOffset, nextOffset: null, haveMore: false });
  });

  it.each([
    ["startDate", "startDate=2026-03-02", [2, 3, 4, 5]],
    ["endDate (inclusive, to the end of the UTC day)", "endDate=2026-03-01", [0, 1]],
    ["both dates", "startDate=2026-03-02&endDate=2026-03-02", [2, 3]],
    ["one status", "statuses=INITIATION_COMPLETED", [1, 3]],
    ["repeated statuses", "statuses=INITIATION_COMPLETED&statuses=INITIATION_FAILED", [1, 3, 4]],
    ["inverted statuses", "statuses=INITIATION_COMPLETED&statuses=INITIATION_FAILED&invertStatuses=true", [0, 2, 5]],
    ["invertStatuses=false", "statuses=INITIATION_PENDING&invertStatuses=false", [0]],
    ["refIds", "refIds=a2&refIds=a6&refIds=zz", [1, 5]],
    ["onBehalfOfId", "onBehalfOfId=m1", [0, 3]],
    ["three filters", "startDate=2026-03-01&statuses=INITIATION_PENDING&statuses=INITIATION_PROCESSING&onBehalfOfId=m2", [5]],
  ])("filters by %s", async (_name, query, expected) => {
    const s = await seedBusiness();
    const rows = await seedSix(s);
    expect(ids(await list(s, `limit=200&${query}`))).toEqual(expected.map((i) => rows[i]!.id).reverse());
  });

  it("filters by ids, and by every id but those with invertIds", async () => {
    const s = await seedBusiness();
    const rows = await seedSix(s);
    const q = `ids=${rows[1]!.id}&ids=${rows[4]!.id}`;
    expect(ids(await list(s, `limit=10&${q}`))).toEqual([rows[4]!.id, rows[1]!.id]);
    expect(ids(await list(s, `limit=10&${q}&invertIds=true`))).toEqual([5, 3, 2, 0].map((i) => rows[i]!.id));
    expect(ids(await list(s, `limit=10&ids=${rows[2]!.id}`))).toEqual([rows[2]!.id]);
  });

  it("never shows another business's payouts, even by id or refId", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness();
    const theirs = await seedSix(other);
    expect(ids(await list(s, "limit=200"))).toEqual([]);
    expect(ids(await list(s, `limit=200&ids=${theirs[0]!.id}`))).toEqual([]);
    expect(ids(await list(s, "limit=200&refIds=a1"))).toEqual([]);
    // Their offset names their payout: in this business it is no position, so nothing follows it.
    await seedSix(s);
    const theirOffset = (await list(other, "limit=2")).paging.nextOffset;
    expect(theirOffset).not.toBeNull();
    const page = await list(s, `limit=200&offset=${theirOffset}`);
    expect(page.payouts).toEqual([]);
    expect(page.paging.haveMore).toBe(false);
  });

  describe("400 for bad parameters", () => {
    it.each([
      ["no limit", "", "limit"],
      ["limit 0", "limit=0", "limit"],
      ["limit 201", "limit=201", "limit"],
      ["limit not a number", "limit=ten", "limit"],
      ["a bad date", "limit=10&startDate=2026-02-30", "startDate"],
      ["a date in another format", "limit=10&endDate=01/03/2026", "endDate"],
      ["start after end", "limit=10&startDate=2026-03-02&endDate=2026-03-01", "startDate"],
      ["an unknown status", "limit=10&statuses=DONE", "statuses.0"],
      ["invertIds that is not a boolean", "limit=10&ids=x&invertIds=yes", "invertIds"],
      ["invertIds without ids", "limit=10&invertIds=true", "invertIds"],
      ["invertStatuses without statuses", "limit=10&invertStatuses=true", "invertStatuses"],
      ["an unknown parameter", "limit=10&status=INITIATION_PENDING", "status"],
      ["a refId over 18 characters", `limit=10&refIds=${"a".repeat(19)}`, "refIds.0"],
    ])("%s", async (_name, query, field) => {
      const s = await seedBusiness();
      const err = await expectError(await s.call("GET", `/api/v1/payouts?${query}`), 400, "validation_error");
      expect(Object.keys(err.fields ?? {})).toContain(field);
    });

    it("an offset this API did not return", async () => {
      const s = await seedBusiness();
      const err = await expectError(await s.call("GET", "/api/v1/payouts?limit=10&offset=LerV6Jmex"), 400, "invalid_cursor");
      expect(err.fields).toHaveProperty("offset");
    });

    it("an offset from when the list paged by id alone: it would name a position in another order", async () => {
      const s = await seedBusiness();
      const [row] = await seedSix(s);
      const old = encodeCursor("payouts", row?.id ?? "");
      const err = await expectError(await s.call("GET", `/api/v1/payouts?limit=10&offset=${old}`), 400, "invalid_cursor");
      expect(err.message).toMatch(/another list/);
    });
  });

  it("401 without a key, 403 without read:payouts", async () => {
    await expectError(await call("GET", "/api/v1/payouts?limit=10"), 401, "unauthorized");
    const s = await seedBusiness({ scopes: ["write:payouts"] });
    await expectError(await s.call("GET", "/api/v1/payouts?limit=10"), 403, "insufficient_scope");
  });

  it("walks 300 payouts exactly once each while new ones arrive", async () => {
    const s = await seedBusiness({ balance: 1_000_000n });
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: newId("payout"),
      refId: `w${i}`,
      status: "INITIATION_PENDING",
      createdAt: "2026-04-01T00:00:00Z",
      onBehalfOfId: null,
    }));
    await insertPayouts(s.business.id, rows);
    const seen: string[] = [];
    let offset: string | null = null;
    do {
      const body: ListJson = await list(s, `limit=37${offset ? `&offset=${offset}` : ""}`);
      seen.push(...ids(body));
      offset = body.paging.nextOffset;
      await initiateOk(s, sepaInitiation());
    } while (offset);
    const original = new Set(rows.map((r) => r.id));
    const visited = seen.filter((id) => original.has(id));
    expect(visited.length).toBe(300);
    expect(new Set(visited).size).toBe(300);
    expect((await walk(s, "", 200)).ids.length).toBe(300 + 9);
  });
});

describe("GET /api/v1/payouts/{id}", () => {
  it("returns the payout in one round trip", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const p = await initiateOk(s, sepaInitiation());
    const res = await s.call("GET", `/api/v1/payouts/${p.id}`);
    expect(res.status).toBe(200);
    const { payout } = (await res.json()) as { payout: PayoutJson };
    expect(payout).toMatchObject({ id: p.id, initiation: p.initiation, createdDateTime: p.createdDateTime });
    expect(payout.status).toMatch(/^INITIATION_/);
    expect((await sqlStats(res)).requests).toBe(1);
  });

  it("404 for another business's payout, an unknown id, or something that is not an id", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const other = await seedBusiness({ balance: 10_000n });
    const theirs = await initiateOk(other, sepaInitiation());
    await expectError(await s.call("GET", `/api/v1/payouts/${theirs.id}`), 404, "not_found");
    await expectError(await s.call("GET", `/api/v1/payouts/${newId("payout")}`), 404, "not_found");
    await expectError(await s.call("GET", "/api/v1/payouts/po:28oivvd3iFhBrcbNj4tmtLEhxRTk"), 404, "not_found");
  });

  it("401 without a key, 403 without read:payouts", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const p = await initiateOk(s, sepaInitiation());
    await expectError(await call("GET", `/api/v1/payouts/${p.id}`), 401, "unauthorized");
    const writer = await seedBusiness({ scopes: ["write:payouts"] });
    await expectError(await writer.call("GET", `/api/v1/payouts/${p.id}`), 403, "insufficient_scope");
  });
});
