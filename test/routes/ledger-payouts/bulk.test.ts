import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness, sqlStats } from "../../harness";
import { accounts, base, entries, type PayoutJson, postBulk, seedPayment, simplePayout } from "./helpers";

const pageMetadata = { custom_field: "value", "any valid json": "below 1kb", nested: { "meaning of life": 42, array: [] } };

describe("POST /v1/businesses/{businessId}/payouts/bulk", () => {
  it("accepts the page's own example and answers in the page's response shape", async () => {
    const s = await seedBusiness();
    const chart = await accounts(s);
    // The page's payment (369 = paid out 123 + fee 123 + other transaction 123) and its clearing
    // account exist under our ids; everything else is the page's request as it stands.
    const paymentId = await seedPayment(s, { external_id: "payment-31415", amount: 369 });
    const clearing = chart.CURRENT_ASSETS!.id.id;
    const request = [
      {
        external_id: "payout-1234",
        paid_out_amount: 123,
        fee: 123,
        completed_at: "2023-11-07T05:31:56Z",
        payments: [{ invoice_payment_id: paymentId, invoice_payment_external_id: "payment-31415" }],
        additional_refunds_amount: 0,
        processor: "STRIPE",
        payment_clearing_account_identifier: { type: "AccountId", id: clearing },
        refunds: [],
        other_transactions: [
          { amount: 123, account: { type: "AccountId", id: clearing }, description: "<string>", external_id: "<string>" },
        ],
        tags: [{ key: "department", value: "sales", dimension_display_name: "Department", value_display_name: "Sales Department" }],
        memo: "<string>",
        metadata: pageMetadata,
        reference_number: "<string>",
      },
    ];
    const res = await postBulk(s, request);
    expect(res.status).toBe(200);
    const body = (await res.json()) as PayoutJson[];
    expect(body).toHaveLength(1);
    const p = body[0]!;
    expect(Object.keys(p)).toEqual(
      expect.arrayContaining([
        "id",
        "external_id",
        "business_id",
        "paid_out_amount",
        "fee",
        "processor",
        "payment_clearing_account",
        "imported_at",
        "completed_at",
        "match",
        "payments",
        "refunds",
        "transaction_tags",
        "memo",
        "metadata",
        "reference_number",
      ]),
    );
    expect(p).toMatchObject({
      external_id: "payout-1234",
      business_id: s.business.id,
      paid_out_amount: 123,
      fee: 123,
      processor: "STRIPE",
      completed_at: "2023-11-07T05:31:56.000Z",
      match: null,
      memo: "<string>",
      metadata: pageMetadata,
      reference_number: "<string>",
      refunds: [],
      payment_clearing_account: {
        id: { type: "AccountId", id: clearing },
        name: "Current Assets",
        stable_name: { type: "StableName", stable_name: "CURRENT_ASSETS" },
        account_type: { display_name: "Asset" },
        account_subtype: { display_name: "Current Assets" },
      },
      transaction_tags: [
        {
          key: "department",
          value: "sales",
          dimension_display_name: "Department",
          value_display_name: "Sales Department",
          archived_at: null,
        },
      ],
    });
    expect(p.transaction_tags[0]!.id).toMatch(/^ttg_/);
    expect(p.payments).toHaveLength(1);
    expect(p.payments[0]).toMatchObject({
      id: paymentId,
      external_id: "payment-31415",
      amount: 369,
      processor: "STRIPE",
      additional_fees: [],
      refund_allocations: [],
      payment_clearing_account: { stable_name: { stable_name: "ACCOUNTS_RECEIVABLE" } },
      allocations: [{ payment_id: paymentId, amount: 369, amount_net_of_refunds: 369 }],
      payouts: [{ id: p.id, external_id: "payout-1234", match: null }],
    });
    // Validation read + one chunk + one matching query (no bank transaction, so no insert).
    expect((await sqlStats(res)).requests).toBeLessThanOrEqual(4);

    const [entry] = await entries(s, `&payout_id=${p.id}`);
    const debits = entry!.lines.filter((l) => l.direction === "DEBIT").reduce((a, l) => a + l.amount, 0);
    const credits = entry!.lines.filter((l) => l.direction === "CREDIT").reduce((a, l) => a + l.amount, 0);
    expect(debits).toBe(369);
    expect(credits).toBe(369);
    const after = await accounts(s);
    expect(after.CURRENT_ASSETS!.balance).toBe(246);
    expect(after.PAYMENT_PROCESSING_FEES!.balance).toBe(123);
    expect(after.ACCOUNTS_RECEIVABLE!.balance).toBe(-369);
  });

  it("books a payout without a clearing account to Undeposited Funds and shows payment_clearing_account null", async () => {
    const s = await seedBusiness();
    const res = await postBulk(s, [simplePayout("po-1", 1000, 30)]);
    expect(res.status).toBe(200);
    const [p] = (await res.json()) as PayoutJson[];
    expect(p!.payment_clearing_account).toBeNull();
    expect(p!.payments[0]).toMatchObject({ external_id: "po-1-pay", amount: 1000 });
    const chart = await accounts(s);
    expect(chart.UNDEPOSITED_FUNDS!.balance).toBe(970);
    expect(chart.PAYMENT_PROCESSING_FEES!.balance).toBe(30);
    expect(chart.ACCOUNTS_RECEIVABLE!.balance).toBe(-1000);
  });

  it("upserts by external_id: the payout is updated and its journal entry replaced, never duplicated", async () => {
    const s = await seedBusiness();
    const first = (await (await postBulk(s, [simplePayout("po-up", 1000, 30)])).json()) as PayoutJson[];
    const [before] = await entries(s, `&payout_id=${first[0]!.id}`);
    const res = await postBulk(s, [simplePayout("po-up", 2000, 50, { memo: "updated" })]);
    expect(res.status).toBe(200);
    const [p] = (await res.json()) as PayoutJson[];
    expect(p!.id).toBe(first[0]!.id);
    expect(p).toMatchObject({ paid_out_amount: 1950, fee: 50, memo: "updated" });
    expect(p!.payments[0]!.id).toBe(first[0]!.payments[0]!.id);
    const all = await entries(s);
    expect(all).toHaveLength(1);
    expect(all[0]!.id).not.toBe(before!.id);
    const chart = await accounts(s);
    expect(chart.UNDEPOSITED_FUNDS!.balance).toBe(1950);
    expect(chart.ACCOUNTS_RECEIVABLE!.balance).toBe(-2000);
    const list = await s.call("GET", `${base(s)}/payouts?external_id=po-up`);
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it("creates refunds inline and books them to Refunds; additional refunds too", async () => {
    const s = await seedBusiness();
    const res = await postBulk(s, [
      {
        ...simplePayout("po-ref", 1000, 30),
        paid_out_amount: 1000 - 30 - 100 - 20,
        refunds: [{ refund_external_id: "rf-1", refunded_amount: 100, refund_payment_external_id: "rfp-1" }],
        additional_refunds_amount: 20,
      },
    ]);
    expect(res.status).toBe(200);
    const [p] = (await res.json()) as PayoutJson[];
    expect(p!.refunds[0]).toMatchObject({
      external_id: "rf-1",
      refunded_amount: 100,
      status: "PAID",
      payments: [{ external_id: "rfp-1" }],
    });
    expect((await accounts(s)).REFUNDS!.balance).toBe(120);
  });

  it("accepts a body over 1 MiB (up to 10 MiB) on this route", async () => {
    const s = await seedBusiness();
    const memo = "x".repeat(3000);
    const body = Array.from({ length: 400 }, (_, i) => simplePayout(`big-${i}`, 1000, 30, { memo }));
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    const res = await postBulk(s, body);
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(400);
  });

  it("refuses a body over 10 MiB with 413", async () => {
    const s = await seedBusiness();
    const res = await s.call("POST", `${base(s)}/payouts/bulk`, {
      body: `[${" ".repeat(10 * 1024 * 1024)}]`,
      headers: { "Content-Type": "application/json" },
    });
    await expectError(res, 413, "payload_too_large");
  });

  it("needs a key (401) with write:ledger (403)", async () => {
    const s = await seedBusiness({ scopes: ["read:ledger"] });
    await expectError(await call("POST", `${base(s)}/payouts/bulk`, { json: [simplePayout("a")] }), 401, "unauthorized");
    await expectError(await postBulk(s, [simplePayout("a")]), 403, "insufficient_scope");
  });

  it("answers 404 for another business in the path, with nothing written there", async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    await expectError(await postBulk(a, [simplePayout("x")], b.business.id), 404, "not_found");
    await expectError(await postBulk(a, [simplePayout("x")], "biz_does_not_exist"), 404, "not_found");
    const list = await b.call("GET", `${base(b)}/payouts`);
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(0);
  });

  it("cannot reference another business's payment (it does not exist for this key)", async () => {
    const a = await seedBusiness();
    const b = await seedBusiness();
    const paymentId = await seedPayment(b, { external_id: "theirs", amount: 1000 });
    const res = await postBulk(a, [{ ...simplePayout("x"), payments: [{ invoice_payment_id: paymentId }], paid_out_amount: 970 }]);
    const err = await expectError(res, 400, "validation_error");
    expect(err.fields).toHaveProperty("0.payments.0.invoice_payment_id");
  });
});
