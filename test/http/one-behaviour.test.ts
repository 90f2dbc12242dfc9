// One behaviour on every group (issue 7): idempotency, query parameters, cursors, messages,
// route matching and CORS come from shared mechanisms, so each is checked across groups here.

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fundBusiness } from "../../src/services/businesses";
import { call, expectError, type Seeded, seedBusiness, testDb } from "../harness";

const payee = { name: "Same Everywhere", type: "company", external_id: "same-1" };

const rawPost = (s: Seeded, path: string, body: string, key: string) =>
  s.call("POST", path, { body, headers: { "Content-Type": "application/json", "Idempotency-Key": key } });

describe("Idempotency-Key on every POST", () => {
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    ["/api/v1/payees", "payees", payee, { ...payee, name: "Another name" }],
    ["/api/v1/payout-users", "payout users", { email: "ann@example.com", amount: 100 }, { email: "Ann@example.com", amount: 100 }],
    ["/api/v1/balance/fund", "funding", { amount: 500 }, { amount: 501 }],
  ];
  for (const [path, group, body, changed] of cases) {
    it(`${group}: key order and spacing do not matter, values do; the replay is byte-identical`, async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const key = `idem-${group}`;
      const first = await rawPost(s, path, JSON.stringify(body), key);
      expect(first.status).toBeLessThan(300);
      const firstText = await first.text();
      expect(first.headers.get("Idempotent-Replayed")).toBeNull();

      const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2);
      const again = await rawPost(s, path, reordered, key);
      expect(again.status).toBe(first.status);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(await again.text()).toBe(firstText);

      await expectError(await rawPost(s, path, JSON.stringify(changed), key), 422, "idempotency_key_reused");
      const tooLong = await expectError(await rawPost(s, path, JSON.stringify(body), "k".repeat(256)), 400, "validation_error");
      expect(tooLong.fields).toEqual({ "Idempotency-Key": ["Must be 1-255 characters"] });
    });
  }
});

describe("query parameters", () => {
  it("unknown ones are a 400 naming them, on every list", async () => {
    const s = await seedBusiness({ balance: 100n });
    const user = (
      (await (await s.call("POST", "/api/v1/payout-users", { json: { email: "q@example.com", amount: 1 } })).json()) as {
        data: { id: string; hash: string };
      }
    ).data;
    const lists: [string, Record<string, string>][] = [
      ["/api/v1/payees", {}],
      ["/api/v1/payout-users", {}],
      [`/api/v1/payout-users/${user.id}/transactions`, {}],
      ["/api/v1/payout-user", { Authorization: `Bearer ${user.hash}` }],
    ];
    for (const [path, headers] of lists) {
      const res = Object.keys(headers).length
        ? await call("GET", `${path}?stauts=pending&limit=1`, { headers })
        : await s.call("GET", `${path}?stauts=pending&limit=1`);
      const err = await expectError(res, 400, "validation_error");
      expect(err.fields, path).toEqual({ stauts: ["Unknown query parameter: stauts"] });
    }
  });

  it("a cursor from another list is a 400 invalid_cursor", async () => {
    const s = await seedBusiness({ balance: 100n });
    for (const email of ["a@example.com", "b@example.com"]) await s.call("POST", "/api/v1/payout-users", { json: { email, amount: 1 } });
    const page = (await (await s.call("GET", "/api/v1/payout-users?limit=1")).json()) as {
      data: { id: string }[];
      meta: { next_cursor: string };
    };
    expect(page.meta.next_cursor).toBeTruthy();
    const cursor = encodeURIComponent(page.meta.next_cursor);
    expect((await s.call("GET", `/api/v1/payout-users?limit=1&cursor=${cursor}`)).status).toBe(200);
    await expectError(await s.call("GET", `/api/v1/payees?cursor=${cursor}`), 400, "invalid_cursor");
    await expectError(await s.call("GET", `/api/v1/payout-users/${page.data[0]!.id}/transactions?cursor=${cursor}`), 400, "invalid_cursor");
  });
});

describe("messages", () => {
  it("read the same on every group", async () => {
    const s = await seedBusiness({ balance: 100n });
    const payees = await expectError(
      await s.call("POST", "/api/v1/payees", { json: { type: "company", contact_email: "nope" } }),
      400,
      "validation_error",
    );
    const users = await expectError(await s.call("POST", "/api/v1/payout-users", { json: { email: "nope" } }), 400, "validation_error");
    const fund = await expectError(await s.call("POST", "/api/v1/balance/fund", { json: {} }), 400, "validation_error");
    expect(payees.fields!.name).toEqual(["Required"]);
    expect(users.fields!.amount).toEqual(["Required"]);
    expect(fund.fields!.amount).toEqual(["Required"]);
    expect(payees.fields!.contact_email).toEqual(["Must be a valid email address"]);
    expect(users.fields!.email).toEqual(["Must be a valid email address"]);
  });

  it("report every field at once, cross-field rules included", async () => {
    const s = await seedBusiness();
    const err = await expectError(
      await s.call("POST", "/api/v1/payees", { json: { type: "bogus", hold_reason: "Missing tax form", nickname: "x" } }),
      400,
      "validation_error",
    );
    expect(Object.keys(err.fields!).sort()).toEqual(["hold_reason", "name", "nickname", "type"]);
  });

  it("tell a wrong payout-user hash from a missing or malformed one", async () => {
    const messages = new Set<string>();
    const variants: Record<string, string>[] = [
      {},
      { Authorization: "Bearer short" },
      { Authorization: `Bearer ${"0".repeat(64)}` },
      { Authorization: `Bearer ${"0".repeat(64)} x` },
    ];
    for (const headers of variants) {
      messages.add((await expectError(await call("GET", "/api/v1/payout-user", { headers }), 401, "unauthorized")).message);
    }
    expect(messages.size).toBe(4);
  });

  it("name the id a 404 could not find", async () => {
    const s = await seedBusiness();
    const id = "pou_01jz8k6q4m0x3v7e2c5n9r1t8w";
    for (const path of [`/api/v1/payout-users/${id}`, `/api/v1/payout-users/${id}/transactions`]) {
      expect((await expectError(await s.call("GET", path), 404, "not_found")).message, path).toContain(id);
    }
    expect((await expectError(await s.call("GET", "/api/v1/payees/pye_01jz8k6q4m0x3v7e2c5n9r1t8w"), 404, "not_found")).message).toContain(
      "pye_01jz8k6q4m0x3v7e2c5n9r1t8w",
    );
  });
});

describe("route matching", () => {
  it("is a 405 with Allow before auth or the content type is looked at", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/api/v1/payees/pye_01jz8k6q4m0x3v7e2c5n9r1t8w", "GET, HEAD, PUT"],
      ["PUT", "/api/v1/payout-users", "GET, HEAD, POST"],
      ["GET", "/api/v1/payees/batch", "POST, PUT"],
      ["GET", "/api/v1/payees/upsert", "POST"],
      ["DELETE", "/api/v1/balance/", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path, { body: method === "GET" ? undefined : "x=1", headers: { "Content-Type": "text/plain" } });
      expect(res.headers.get("Allow"), `${method} ${path}`).toBe(allow);
      await expectError(res, 405, "method_not_allowed");
    }
  });

  it("treats a trailing slash like none", async () => {
    const s = await seedBusiness();
    expect((await s.call("POST", "/api/v1/payees/", { json: payee })).status).toBe(201);
    const list = (await (await s.call("GET", "/api/v1/payees/")).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
  });
});

describe("CORS", () => {
  const origin = "https://wallet.example";

  it("GET /api/v1/payout-user answers preflight and carries the allowed origin, never cached", async () => {
    const s = await seedBusiness({ balance: 100n });
    const user = (
      (await (await s.call("POST", "/api/v1/payout-users", { json: { email: "c@example.com", amount: 1 } })).json()) as {
        data: { hash: string };
      }
    ).data;
    const preflight = await call("OPTIONS", "/api/v1/payout-user", {
      headers: { Origin: origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(origin);
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");

    const res = await call("GET", "/api/v1/payout-user", { headers: { Origin: origin, Authorization: `Bearer ${user.hash}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(origin);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const denied = await call("GET", "/api/v1/payout-user", { headers: { Origin: origin } });
    expect(denied.headers.get("Access-Control-Allow-Origin")).toBe(origin);
    expect(denied.headers.get("Cache-Control")).toBe("no-store");
    await expectError(denied, 401, "unauthorized");

    const stranger = await call("GET", "/api/v1/payout-user", {
      headers: { Origin: "https://evil.example", Authorization: `Bearer ${user.hash}` },
    });
    expect(stranger.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("secret-key routes have none", async () => {
    const s = await seedBusiness();
    const res = await s.call("GET", "/api/v1/payees", { headers: { Origin: origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const preflight = await call("OPTIONS", "/api/v1/payees", { headers: { Origin: origin, "Access-Control-Request-Method": "GET" } });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
    await expectError(preflight, 405, "method_not_allowed");
  });
});

describe("funding's own record of its answer", () => {
  it("is the exact text the route answers, so a replay after a lost answer is byte-identical", async () => {
    const s = await seedBusiness({ balance: 7n });
    const db = testDb();
    await db.execute(sql`INSERT INTO idempotency_keys (business_id, key, method, path, fingerprint)
      VALUES (${s.business.id}, 'lost-answer', 'POST', '/api/v1/balance/fund', 'f')`);
    const business = await fundBusiness(db, s.business.id, 5n, "lost-answer");
    const { rows } = await db.execute<{ text: string }>(sql`
      SELECT response_body #>> '{}' AS text FROM idempotency_keys WHERE business_id = ${s.business.id} AND key = 'lost-answer'`);
    expect(rows[0]!.text).toBe(JSON.stringify({ data: { balance: Number(business!.payoutBalance), currency: business!.currency } }));
    expect(rows[0]!.text).toBe('{"data":{"balance":12,"currency":"USD"}}');
  });
});
