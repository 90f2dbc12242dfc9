// Regression tests for input sent to break the shared request path (issue 7): each was a 500
// or a silently broken promise on some route before the mechanism was fixed.
import { describe, expect, it } from "vitest";
import { call, expectError, type Seeded, seedBusiness } from "../harness";

const protoNames = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__proto__"];
const payee = { name: "Hostile Input Ltd", type: "company" };

/** A JSON text with one extra member named `key` (as text: `__proto__` in an object literal is no key). */
const withKey = (body: object, key: string) => `${JSON.stringify(body).slice(0, -1)},${JSON.stringify(key)}:1}`;

const raw = (s: Seeded, method: string, path: string, body: BodyInit, contentType = "application/json") =>
  s.call(method, path, { body, headers: { "Content-Type": contentType } });

type BatchBody = {
  data: { index: number; success: boolean; status: number; error?: { code: string; fields?: Record<string, string[]> } }[];
};

describe("unknown fields named like Object.prototype members", () => {
  it("are a 400 naming the field on every write route, never a 500", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    const created = (await (await s.call("POST", "/api/v1/payees", { json: payee })).json()) as { data: { id: string } };
    const routes: [string, string, object][] = [
      ["POST", "/api/v1/payees", payee],
      ["PUT", `/api/v1/payees/${created.data.id}`, { name: "x" }],
      ["POST", "/api/v1/payees/upsert", { external_id: "e1", operation: "create_or_update", ...payee }],
      ["POST", "/api/v1/payout-users", { email: "a@example.com", amount: 1 }],
      ["POST", "/api/v1/balance/fund", { amount: 1 }],
    ];
    for (const [method, path, body] of routes) {
      for (const key of protoNames) {
        const err = await expectError(await raw(s, method, path, withKey(body, key)), 400, "validation_error");
        expect(Object.keys(err.fields!), `${method} ${path} ${key}`).toEqual([key]);
        expect(err.fields![key]).toEqual([`Unknown field: ${key}`]);
      }
    }
  });

  it("fail only their own record in a batch, __proto__ included", async () => {
    const s = await seedBusiness();
    const records = protoNames.map((key, i) => withKey({ ...payee, external_id: `p${i}` }, key));
    const body = `{"records":[${records.join(",")},${JSON.stringify({ ...payee, external_id: "fine" })}]}`;
    const res = await raw(s, "POST", "/api/v1/payees/batch", body);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as BatchBody;
    protoNames.forEach((key, i) => {
      expect(data[i]).toMatchObject({ index: i, success: false, status: 400 });
      expect(Object.keys(data[i]!.error!.fields!)).toEqual([key]);
    });
    expect(data[protoNames.length]).toMatchObject({ success: true, status: 201 });
  });
});

describe("Content-Type", () => {
  it("accepts JSON whatever the spacing or empty parameters", async () => {
    const s = await seedBusiness();
    const types = [
      "application/json;",
      "application/json ; charset=utf-8",
      "application/json;charset=utf-8;",
      'APPLICATION/JSON; charset="UTF-8"',
      "application/merge-patch+json",
    ];
    for (const [i, type] of types.entries()) {
      const res = await raw(s, "POST", "/api/v1/payees", JSON.stringify({ ...payee, external_id: `ct${i}` }), type);
      expect(res.status, type).toBe(201);
    }
  });

  it("refuses other media types with 415, never a 500", async () => {
    const s = await seedBusiness();
    const types = [
      "text/plain+json",
      "text/plain",
      "application/json; charset=latin1",
      "application/json=",
      "json",
      "application/x-www-form-urlencoded",
    ];
    for (const type of types) {
      await expectError(await raw(s, "POST", "/api/v1/payees", JSON.stringify(payee), type), 415, "unsupported_media_type");
      await expectError(
        await raw(s, "POST", "/api/v1/payout-users", JSON.stringify({ email: "a@x.com", amount: 1 }), type),
        415,
        "unsupported_media_type",
      );
    }
  });
});

describe("strings the database cannot store", () => {
  it("are refused per field: a single route names the field", async () => {
    const s = await seedBusiness();
    for (const bad of ["nul\u0000", "\ud800lone", "lone\udc00"]) {
      const err = await expectError(
        await s.call("POST", "/api/v1/payees", { json: { ...payee, name: bad, hold_reason: bad } }),
        400,
        "validation_error",
      );
      expect(err.fields!.name).toEqual(["Must not contain NUL characters or unpaired surrogates"]);
    }
    const q = await expectError(await s.call("GET", "/api/v1/payees?q=%00"), 400, "validation_error");
    expect(Object.keys(q.fields!)).toEqual(["q"]);
    // A well-formed pair is fine.
    expect((await s.call("POST", "/api/v1/payees", { json: { ...payee, name: "emoji \ud83d\ude00" } })).status).toBe(201);
  });

  it("fail only their own record in a batch", async () => {
    const s = await seedBusiness();
    const records = [
      { ...payee, external_id: "ok-1" },
      { ...payee, external_id: "nul\u0000" },
      { ...payee, name: "\ud800" },
      { ...payee, external_id: "ok-2" },
    ];
    const res = await s.call("POST", "/api/v1/payees/batch", { json: { records } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as BatchBody;
    expect(data.map((d) => d.status)).toEqual([201, 400, 400, 201]);
    expect(Object.keys(data[1]!.error!.fields!)).toEqual(["external_id"]);
    expect(Object.keys(data[2]!.error!.fields!)).toEqual(["name"]);
  });
});

describe("bodies that are not UTF-8", () => {
  it("are a 400, and nothing is stored with U+FFFD", async () => {
    const s = await seedBusiness();
    const prefix = new TextEncoder().encode('{"name":"caf');
    const suffix = new TextEncoder().encode('","type":"company"}');
    const body = new Uint8Array([...prefix, 0xe9, ...suffix]); // Latin-1 é
    const err = await expectError(await raw(s, "POST", "/api/v1/payees", body), 400, "invalid_json");
    expect(err.message).toMatch(/UTF-8/);
    const list = (await (await s.call("GET", "/api/v1/payees")).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });
});

describe("credentials", () => {
  it("refuse a Bearer header with anything after the key", async () => {
    const s = await seedBusiness();
    expect((await s.call("GET", "/api/v1/payees")).status).toBe(200);
    const err = await expectError(
      await call("GET", "/api/v1/payees", { headers: { Authorization: `${s.auth} junk` } }),
      401,
      "unauthorized",
    );
    expect(err.message).toMatch(/nothing after/);
  });

  it("give a Basic header that does not parse its own message", async () => {
    const unknown = await expectError(
      await call("GET", "/api/v1/payees", { headers: { Authorization: `Basic ${btoa("key_x:nope")}` } }),
      401,
      "unauthorized",
    );
    for (const header of ["Basic !!!", `Basic ${btoa("no-colon")}`, "Basic"]) {
      const err = await expectError(await call("GET", "/api/v1/payees", { headers: { Authorization: header } }), 401, "unauthorized");
      expect(err.message, header).toMatch(/Basic credentials do not parse/);
      expect(err.message).not.toBe(unknown.message);
    }
  });

  it("are asked for before the query or the body is looked at", async () => {
    await expectError(await call("GET", "/api/v1/payout-user?limit=0"), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/payees?limit=0&stauts=x"), 401, "unauthorized");
    await expectError(
      await call("POST", "/api/v1/payees", { body: "name=x", headers: { "Content-Type": "text/plain" } }),
      401,
      "unauthorized",
    );
    await expectError(
      await call("POST", "/api/v1/payout-users", { body: "{", headers: { "Content-Type": "application/json" } }),
      401,
      "unauthorized",
    );
  });
});

describe("cursors", () => {
  it("holding a lone surrogate or a foreign id are a 400 invalid_cursor", async () => {
    const s = await seedBusiness();
    const forged = [
      btoa(JSON.stringify({ v: 2, l: "payees", id: "\\ud800" })),
      btoa('{"v":2,"l":"payees","id":"\\ud800"}'),
      btoa(JSON.stringify({ v: 1, id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w" })),
      "not base64!",
    ];
    for (const cursor of forged) {
      await expectError(await s.call("GET", `/api/v1/payees?cursor=${encodeURIComponent(cursor)}`), 400, "invalid_cursor");
    }
  });
});
