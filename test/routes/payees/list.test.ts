import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { PayeeListSchema } from "../../../src/routes/payees/schemas";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { createPayee, listAll, newPayee, type PayeeJson, seedPayees, warmAuth } from "./helpers";

type Page = z.infer<typeof PayeeListSchema>;

describe("GET /api/v1/payees", () => {
  it("returns an empty page for a business without payees", async () => {
    const s = await seedBusiness();
    const res = await s.call("GET", "/api/v1/payees");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [], meta: { next_cursor: null, limit: 50 } });
  });

  it("pages through 250 payees in creation order with no duplicates or gaps, one round trip a page", async () => {
    const s = await seedBusiness();
    const created = await seedPayees(s, 250, (i) => newPayee({ name: `Payee ${i}` }));
    await warmAuth(s);

    const seen: PayeeJson[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await s.call("GET", `/api/v1/payees${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      expect(await sqlStats(res)).toMatchObject({ requests: 1 });
      const page = (await res.json()) as Page;
      expect(page.meta.limit).toBe(50);
      expect(page.data.length).toBeLessThanOrEqual(50);
      seen.push(...page.data);
      cursor = page.meta.next_cursor;
      pages += 1;
    } while (cursor);

    expect(pages).toBe(5);
    expect(seen.map((p) => p.id)).toEqual(created.map((p) => p.id));
    expect(new Set(seen.map((p) => p.id)).size).toBe(250);
    expect(seen.map((p) => p.name)).toEqual(Array.from({ length: 250 }, (_, i) => `Payee ${i}`));
  });

  it("honours limit from 1 to 200 and ends with a null cursor", async () => {
    const s = await seedBusiness();
    await seedPayees(s, 5);
    const one = (await (await s.call("GET", "/api/v1/payees?limit=1")).json()) as Page;
    expect(one.data).toHaveLength(1);
    expect(one.meta).toMatchObject({ limit: 1, next_cursor: expect.any(String) });
    const all = (await (await s.call("GET", "/api/v1/payees?limit=200")).json()) as Page;
    expect(all.data).toHaveLength(5);
    expect(all.meta).toEqual({ limit: 200, next_cursor: null });
    // Exactly a page full: the extra row tells there is nothing more, so no empty last page.
    const exact = (await (await s.call("GET", "/api/v1/payees?limit=5")).json()) as Page;
    expect(exact.meta.next_cursor).toBeNull();
  });

  it.each(["0", "201", "abc", "1.5", "-3"])("rejects limit=%s", async (limit) => {
    const s = await seedBusiness();
    const error = await expectError(await s.call("GET", `/api/v1/payees?limit=${limit}`), 400, "validation_error");
    expect(error.fields).toHaveProperty("limit");
  });

  it("rejects a cursor it did not issue", async () => {
    const s = await seedBusiness();
    await expectError(await s.call("GET", "/api/v1/payees?cursor=not-a-cursor"), 400, "invalid_cursor");
    const forged = btoa(JSON.stringify({ v: 2, id: "x" }));
    await expectError(await s.call("GET", `/api/v1/payees?cursor=${forged}`), 400, "invalid_cursor");
  });

  it("filters by status, type, hold_status and external_id", async () => {
    const s = await seedBusiness();
    const [a, b, c] = await seedPayees(
      s,
      3,
      (i) =>
        [
          newPayee({ status: "active", type: "individual" }),
          newPayee({ status: "inactive", type: "company", hold_status: "on_hold", hold_reason: "Missing tax form" }),
          newPayee({ status: "pending", type: "individual" }),
        ][i]!,
    );
    const ids = async (query: string) => (await listAll(s, Object.fromEntries(new URLSearchParams(query)))).map((p) => p.id);
    expect(await ids("status=inactive")).toEqual([b!.id]);
    expect(await ids("status=pending")).toEqual([c!.id]);
    expect(await ids("type=individual")).toEqual([a!.id, c!.id]);
    expect(await ids("type=agency")).toEqual([]);
    expect(await ids("hold_status=on_hold")).toEqual([b!.id]);
    expect(await ids("hold_status=none")).toEqual([a!.id, c!.id]);
    expect(await ids(`external_id=${a!.external_id}`)).toEqual([a!.id]);
    expect(await ids("type=individual&status=pending")).toEqual([c!.id]);
  });

  it.each([
    ["status", "archived"],
    ["type", "robot"],
    ["hold_status", "maybe"],
  ])("rejects an unknown %s filter value", async (field, value) => {
    const s = await seedBusiness();
    const error = await expectError(await s.call("GET", `/api/v1/payees?${field}=${value}`), 400, "validation_error");
    expect(error.fields).toHaveProperty(field);
  });

  it("searches names case-insensitively by substring, with LIKE wildcards taken literally", async () => {
    const s = await seedBusiness();
    const names = ["Northwind Partner", "NORTHWIND Agency", "Contoso", "100% Club", "100X Club", "a_b", "axb", "back\\slash"];
    const created = await seedPayees(s, names.length, (i) => newPayee({ name: names[i] }));
    const byName = new Map(created.map((p) => [p.name, p.id]));
    const search = async (q: string) => (await listAll(s, { q })).map((p) => p.name);
    expect(await search("northwind")).toEqual(["Northwind Partner", "NORTHWIND Agency"]);
    expect(await search("wind par")).toEqual(["Northwind Partner"]);
    expect(await search("100%")).toEqual(["100% Club"]);
    expect(await search("_")).toEqual(["a_b"]);
    expect(await search("%")).toEqual(["100% Club"]);
    expect(await search("\\")).toEqual(["back\\slash"]);
    expect(await search("nobody")).toEqual([]);
    expect(byName.size).toBe(names.length);
  });

  it("pages through a filtered list", async () => {
    const s = await seedBusiness();
    const created = await seedPayees(s, 30, (i) => newPayee({ type: i % 3 === 0 ? "agency" : "company" }));
    const agencies = await listAll(s, { type: "agency" }, 3);
    expect(agencies.map((p) => p.id)).toEqual(created.filter((_, i) => i % 3 === 0).map((p) => p.id));
  });

  it("never shows another business's payees", async () => {
    const mine = await seedBusiness();
    const theirs = await seedBusiness();
    const own = await createPayee(mine);
    await createPayee(theirs);
    expect((await listAll(mine)).map((p) => p.id)).toEqual([own.id]);
  });

  it("needs an API key (401) with read:payees (403)", async () => {
    await expectError(await call("GET", "/api/v1/payees"), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/payees", { headers: { Authorization: "Bearer dsb_sk_nope" } }), 401, "unauthorized");
    const writer = await seedBusiness({ scopes: ["write:payees"] });
    await expectError(await writer.call("GET", "/api/v1/payees"), 403, "insufficient_scope");
    const reader = await seedBusiness({ scopes: ["read:payees"] });
    expect((await reader.call("GET", "/api/v1/payees")).status).toBe(200);
  });
});
