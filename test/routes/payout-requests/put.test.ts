import { describe, expect, it } from "vitest";
import { allocationMethods, gatewayNames } from "../../../src/services/payout-requests/vocabulary";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { allocation, getOk, newRequest, path, put, putOk, uniqueId, warmAuth } from "./helpers";

describe("PUT /api/v1/payout-requests/{id}", () => {
  it("creates (201), answers the full representation with an ETag, one round trip", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const id = uniqueId();
    const { res, data, etag } = await putOk(s, id, newRequest({ amount: 150.75, description: "Winnings" }), 201);
    expect(await sqlStats(res)).toMatchObject({ requests: 1 });
    expect(etag).toBe('"1"');
    expect(data).toEqual({
      id,
      websiteId: "web_main",
      customerId: "cus_1",
      currency: "USD",
      amount: 150.75,
      availableAmount: 150.75,
      status: "pending",
      description: "Winnings",
      batchId: null,
      paymentInstrumentId: null,
      selectPaymentInstrumentUrl: null,
      selectedPaymentInstrumentRedirectUrl: null,
      blocked: false,
      blockReason: null,
      cancellationReason: null,
      allocations: [],
      createdTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedTime: data.createdTime,
      _links: [{ rel: "self", href: `/api/v1/payout-requests/${id}` }],
    });
    const got = await getOk(s, id);
    expect(got.data).toEqual(data);
    expect(got.etag).toBe(etag);
    expect(await sqlStats(got.res)).toMatchObject({ requests: 1 });
  });

  it("updates (200) by replacing the representation: fields left out are cleared, one round trip", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const id = uniqueId();
    const full = newRequest({
      description: "first",
      batchId: "batch-1",
      paymentInstrumentId: "inst_1",
      selectedPaymentInstrumentRedirectUrl: "https://shop.example/payouts/{{id}}",
      allocations: [
        allocation("t1", 10, "declined", { method: "payment-card", gatewayName: "Stripe", paymentInstrumentId: "inst_1", currency: "USD" }),
      ],
    });
    const created = await putOk(s, id, full, 201);
    expect(created.data).toMatchObject({
      batchId: "batch-1",
      paymentInstrumentId: "inst_1",
      status: "instrument-selected",
      selectedPaymentInstrumentRedirectUrl: "https://shop.example/payouts/{{id}}",
      _links: [
        { rel: "self", href: `/api/v1/payout-requests/${id}` },
        { rel: "paymentInstrument", href: "/api/v1/payment-instruments/inst_1" },
      ],
    });
    expect(created.data.allocations[0]).toMatchObject({
      transactionId: "t1",
      amount: 10,
      currency: "USD",
      method: "payment-card",
      gatewayName: "Stripe",
      paymentInstrumentId: "inst_1",
    });
    const updated = await putOk(s, id, newRequest({ customerId: "cus_2", websiteId: "web_2" }), 200);
    expect(await sqlStats(updated.res)).toMatchObject({ requests: 1 });
    expect(updated.etag).toBe('"2"');
    expect(updated.data).toMatchObject({
      customerId: "cus_2",
      websiteId: "web_2",
      description: null,
      batchId: null,
      paymentInstrumentId: null,
      selectedPaymentInstrumentRedirectUrl: null,
      status: "pending",
      allocations: [],
      createdTime: created.data.createdTime,
    });
    expect(updated.data.updatedTime > created.data.updatedTime).toBe(true);
  });

  it("a PUT identical to the stored request answers 200 and changes nothing; a GET body PUT back too", async () => {
    const s = await seedBusiness();
    await warmAuth(s);
    const id = uniqueId();
    const body = newRequest({
      paymentInstrumentId: "inst_1",
      allocations: [allocation("t1", 40, "approved", { method: "SEPA", gatewayName: "Adyen" })],
    });
    const created = await putOk(s, id, body, 201);
    const again = await putOk(s, id, body, 200);
    expect(await sqlStats(again.res)).toMatchObject({ requests: 1 });
    expect(again.data).toEqual(created.data);
    expect(again.etag).toBe(created.etag);
    const back = await putOk(s, id, (await getOk(s, id)).data, 200);
    expect(back.data).toEqual(created.data);
    expect(back.etag).toBe(created.etag);
  });

  it("keeps amounts exact: 0.1 + 0.2 allocated from 0.3 leaves exactly 0", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const { data } = await putOk(
      s,
      id,
      newRequest({ amount: 0.3, allocations: [allocation("t1", 0.1, "approved"), allocation("t2", 0.2, "approved")] }),
      201,
    );
    expect(data.availableAmount).toBe(0);
    expect(data.status).toBe("fulfilled");
    expect(data.allocations.map((a) => a.amount)).toEqual([0.1, 0.2]);
    const big = await putOk(s, uniqueId(), newRequest({ amount: 9999999999999.99, allocations: [allocation("t", 0.01, "unknown")] }), 201);
    expect(big.data.availableAmount).toBe(9999999999999.98);
  });

  it("holds each currency to its minor-unit places and to 15 digits", async () => {
    const s = await seedBusiness();
    await putOk(s, uniqueId(), newRequest({ currency: "JPY", amount: 1500 }), 201);
    await putOk(s, uniqueId(), newRequest({ currency: "KWD", amount: 1.125 }), 201);
    await putOk(s, uniqueId(), newRequest({ currency: "CLF", amount: 1.1234 }), 201);
    for (const [currency, amount] of [
      ["JPY", 1.5],
      ["USD", 1.005],
      ["KWD", 1.0005],
      ["USD", 0],
      ["USD", -5],
      ["USD", 10000000000000],
      ["USD", 0.30000000000000004],
    ] as const) {
      const error = await expectError(await put(s, uniqueId(), newRequest({ currency, amount })), 400, "validation_error");
      expect(Object.keys(error.fields ?? {})).toEqual(["amount"]);
    }
  });

  it("refuses a number whose text has more digits than a double holds, instead of rounding it", async () => {
    const s = await seedBusiness();
    const res = await s.call("PUT", path(uniqueId()), {
      body: '{"websiteId":"w","customerId":"c","currency":"USD","amount":0.1000000000000000001}',
      headers: { "Content-Type": "application/json" },
    });
    const error = await expectError(res, 400, "validation_error");
    expect(error.fields).toHaveProperty("amount");
  });

  it("requires websiteId, customerId, currency and amount on every PUT", async () => {
    const s = await seedBusiness();
    const error = await expectError(await put(s, uniqueId(), {}), 400, "validation_error");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["amount", "currency", "customerId", "websiteId"]);
    const id = uniqueId();
    await putOk(s, id, newRequest(), 201);
    const update = await expectError(await put(s, id, { amount: 5 }), 400, "validation_error");
    expect(Object.keys(update.fields ?? {}).sort()).toEqual(["currency", "customerId", "websiteId"]);
  });

  it.each([
    ["currency", "usd"],
    ["currency", "ABC"],
    ["amount", "100"],
    ["websiteId", ""],
    ["customerId", "   "],
    ["description", 5],
    ["batchId", ""],
    ["paymentInstrumentId", 7],
    ["selectedPaymentInstrumentRedirectUrl", "ftp://x.example"],
    ["blocked", "yes"],
    ["blockReason", "fraud"],
    ["status", "done"],
    ["cancellationReason", { canceledBy: "robot" }],
    ["allocations", {}],
    ["nickname", "x"],
  ])("refuses %s = %j with a 400 naming it", async (field, value) => {
    const s = await seedBusiness();
    const error = await expectError(await put(s, uniqueId(), newRequest({ [field]: value })), 400, "validation_error");
    expect(Object.keys(error.fields ?? {}).some((k) => k === field || k.startsWith(`${field}.`))).toBe(true);
  });

  it.each([
    ["transactionId", ""],
    ["amount", 0],
    ["amount", 1.001],
    ["currency", "EUR"],
    ["transactionResult", "pending"],
    ["method", "carrier-pigeon"],
    ["gatewayName", "Acme"],
    ["createdTime", "yesterday"],
    ["color", "red"],
  ])("refuses an allocation's %s = %j with a 400 naming it", async (field, value) => {
    const s = await seedBusiness();
    const body = newRequest({ allocations: [{ ...allocation("t1", 10, "declined"), [field]: value }] });
    const error = await expectError(await put(s, uniqueId(), body), 400, "validation_error");
    expect(error.fields).toHaveProperty(`allocations.0.${field}`);
  });

  it("accepts every method, gateway and transaction result on the page", async () => {
    const s = await seedBusiness();
    const results = ["declined", "approved", "abandoned", "unknown", "canceled"];
    const count = Math.max(allocationMethods.length, gatewayNames.length);
    const allocations = Array.from({ length: count }, (_, i) => ({
      transactionId: `t${i}`,
      amount: 0.01,
      transactionResult: results[i % results.length],
      method: allocationMethods[i % allocationMethods.length],
      gatewayName: gatewayNames[i % gatewayNames.length],
    }));
    const { data } = await putOk(s, uniqueId(), newRequest({ amount: 100, allocations }), 201);
    expect(data.allocations.map((a) => a.method)).toEqual(allocations.map((a) => a.method));
    expect(data.allocations.map((a) => a.gatewayName)).toEqual(allocations.map((a) => a.gatewayName));
    expect(data.allocations.map((a) => a.transactionResult)).toEqual(allocations.map((a) => a.transactionResult));
  });

  it("refuses an id that is not 1-64 letters, digits, - or _ (400)", async () => {
    const s = await seedBusiness();
    for (const id of ["a".repeat(65), "has.dot", "sp%20ace", "caf%C3%A9"]) {
      const error = await expectError(await put(s, id, newRequest()), 400, "validation_error");
      expect(error.fields).toHaveProperty("id");
    }
    await putOk(s, "A-z_09", newRequest(), 201);
    await putOk(s, "x".repeat(64), newRequest(), 201);
  });

  it("needs write:payout_requests (403) and a key (401)", async () => {
    const readOnly = await seedBusiness({ scopes: ["read:payout_requests"] });
    await expectError(await put(readOnly, uniqueId(), newRequest()), 403, "insufficient_scope");
    await expectError(await call("PUT", path(uniqueId()), { json: newRequest() }), 401, "unauthorized");
  });
});

describe("server-owned fields", () => {
  it("accepts them when they equal the server's values, refuses a differing one with a 400 naming it, changing nothing", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const created = await putOk(s, id, newRequest({ paymentInstrumentId: "inst_1", allocations: [allocation("t1", 25, "unknown")] }), 201);
    const current = created.data;
    const differing: [string, unknown][] = [
      ["id", "other-id"],
      ["createdTime", "2020-01-01T00:00:00.000Z"],
      ["updatedTime", "2020-01-01T00:00:00.000Z"],
      ["availableAmount", 1],
      ["status", "fulfilled"],
      ["selectPaymentInstrumentUrl", "https://evil.example"],
      ["_links", [{ rel: "self", href: "/api/v1/payout-requests/other" }]],
      [
        "_links",
        [
          { rel: "self", href: `/api/v1/payout-requests/${id}` },
          { rel: "paymentInstrument", href: "/api/v1/payment-instruments/inst_9" },
        ],
      ],
    ];
    for (const [field, value] of differing) {
      const error = await expectError(await put(s, id, { ...current, [field]: value }), 400, "validation_error");
      expect(Object.keys(error.fields ?? {}), field).toEqual([field]);
    }
    for (const field of ["createdTime", "updatedTime"]) {
      const allocations = [{ ...current.allocations[0], [field]: "2020-01-01T00:00:00.000Z" }];
      const error = await expectError(await put(s, id, { ...current, allocations }), 400, "validation_error");
      expect(Object.keys(error.fields ?? {})).toEqual([`allocations.0.${field}`]);
    }
    expect((await getOk(s, id)).data).toEqual(current);
  });

  it("accepts the values the PUT itself produces as well as the stored ones", async () => {
    const s = await seedBusiness();
    const id = uniqueId();
    const { data } = await putOk(s, id, newRequest(), 201);
    // The old GET body with a new allocation: old availableAmount and status still accepted.
    const stale = await putOk(s, id, { ...data, allocations: [allocation("t1", 30, "approved")] }, 200);
    expect(stale.data).toMatchObject({ availableAmount: 70, status: "partially-fulfilled" });
    // The values the new state has are accepted too.
    const fresh = await putOk(
      s,
      id,
      {
        ...newRequest(),
        status: "fulfilled",
        availableAmount: 0,
        allocations: [allocation("t1", 30, "approved"), allocation("t2", 70, "approved")],
      },
      200,
    );
    expect(fresh.data.status).toBe("fulfilled");
    // A differing createdTime on create is a 400: there is no server value to match yet.
    const error = await expectError(await put(s, uniqueId(), newRequest({ createdTime: data.createdTime })), 400, "validation_error");
    expect(Object.keys(error.fields ?? {})).toEqual(["createdTime"]);
  });
});
