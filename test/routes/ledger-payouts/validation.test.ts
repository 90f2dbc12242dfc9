import { describe, expect, it } from "vitest";
import { expectError, seedBusiness, sqlStats } from "../../harness";
import { base, postBulk, seedPayment, seedRefund, simplePayout } from "./helpers";

async function fieldsOf(res: Response) {
  return (await expectError(res, 400, "validation_error")).fields ?? {};
}

describe("bulk payouts validation: the whole request first, every problem by path, nothing written", () => {
  it("refuses text the database cannot store, in fields and inside metadata (was a 503 found by the fuzz harness)", async () => {
    const s = await seedBusiness();
    const res = await postBulk(s, [
      { ...simplePayout("n0"), external_id: "a\u0000b" },
      { ...simplePayout("n1"), memo: "\ud800" },
      { ...simplePayout("n2"), metadata: { nested: { v: "x\u0000" } } },
      { ...simplePayout("n3"), metadata: { "k\u0000": 1 } },
    ]);
    const fields = await fieldsOf(res);
    expect(Object.keys(fields).sort()).toEqual(["0.external_id", "1.memo", "2.metadata", "3.metadata"]);
    const list = await s.call("GET", `${base(s)}/payouts`);
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(0);
  });

  it("lists every problem of every payout at once, shape and references alike", async () => {
    const s = await seedBusiness();
    await s.call("GET", `${base(s)}/payouts`); // caches the key, so the count below is the request's own
    const res = await postBulk(s, [
      simplePayout("a"),
      { ...simplePayout("a2"), external_id: "a" },
      { ...simplePayout("b"), fee: -1 },
      { ...simplePayout("c"), payments: [{ invoice_payment_id: "ipy_missing" }], paid_out_amount: 0, fee: 0 },
      { ...simplePayout("d"), metadata: { blob: "x".repeat(1100) } },
    ]);
    const fields = await fieldsOf(res);
    expect(Object.keys(fields).sort()).toEqual(["1.external_id", "2.fee", "3.payments.0.invoice_payment_id", "4.metadata"]);
    expect(fields["1.external_id"]![0]).toMatch(/Duplicate of payout 0/);
    expect(fields["2.fee"]![0]).toMatch(/0 or more/);
    expect(fields["4.metadata"]![0]).toMatch(/1024 bytes/);
    const list = await s.call("GET", `${base(s)}/payouts`);
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(0);
    // One round trip (the references), nothing more.
    expect((await sqlStats(res)).requests).toBe(1);
  });

  it("metadata: at most 1 KB serialized as UTF-8 JSON", async () => {
    const s = await seedBusiness();
    const fits = { k: "x".repeat(1024 - JSON.stringify({ k: "" }).length) };
    expect((await postBulk(s, [{ ...simplePayout("m1"), metadata: fits }])).status).toBe(200);
    const over = { k: "é".repeat(520) }; // 520 characters, 1,040 bytes
    const fields = await fieldsOf(await postBulk(s, [{ ...simplePayout("m2"), metadata: over }]));
    expect(fields["0.metadata"]).toBeDefined();
  });

  it("a payment that does not exist, by id or by external id; id and external id naming different payments", async () => {
    const s = await seedBusiness();
    const p1 = await seedPayment(s, { external_id: "pay-1", amount: 100 });
    await seedPayment(s, { external_id: "pay-2", amount: 100 });
    const payout = (payments: unknown[]) => ({
      external_id: `x${Math.random()}`,
      paid_out_amount: 100,
      completed_at: "2024-01-01T00:00:00Z",
      payments,
    });
    const fields = await fieldsOf(
      await postBulk(s, [
        payout([{ invoice_payment_id: "ipy_nope" }]),
        payout([{ invoice_payment_external_id: "nope" }]),
        payout([{ invoice_payment_id: p1, invoice_payment_external_id: "pay-2" }]),
        { ...payout([{ invoice_payment_id: p1 }, { invoice_payment_external_id: "pay-1" }]), paid_out_amount: 200 },
      ]),
    );
    expect(fields["0.payments.0.invoice_payment_id"]![0]).toMatch(/No payment/);
    expect(fields["1.payments.0.invoice_payment_external_id"]![0]).toMatch(/No payment/);
    expect(fields["2.payments.0.invoice_payment_external_id"]![0]).toMatch(/another payment/);
    expect(fields["3.payments.1.invoice_payment_external_id"]![0]).toMatch(/already listed/);
  });

  it("a refund that does not exist, by any of its four identifiers", async () => {
    const s = await seedBusiness();
    const fields = await fieldsOf(
      await postBulk(s, [
        {
          external_id: "r",
          paid_out_amount: 0,
          completed_at: "2024-01-01T00:00:00Z",
          refunds: [
            { refund_id: "rfd_x" },
            { refund_external_id: "x" },
            { refund_payment_id: "rfp_x" },
            { refund_payment_external_id: "x" },
          ],
        },
      ]),
    );
    expect(Object.keys(fields).sort()).toEqual([
      "0.refunds.0.refund_id",
      "0.refunds.1.refund_external_id",
      "0.refunds.2.refund_payment_id",
      "0.refunds.3.refund_payment_external_id",
    ]);
  });

  it("processor: every payment and refund of a payout must have the payout's processor", async () => {
    const s = await seedBusiness();
    const paypal = await seedPayment(s, { external_id: "pp", amount: 100, processor: "PAYPAL" });
    const none = await seedPayment(s, { external_id: "none", amount: 100, processor: null });
    await seedRefund(s, { external_id: "rf-pp", amount: 10, processor: "PAYPAL" });
    const stripe = (extra: Record<string, unknown>) => ({
      external_id: `s${Math.random()}`,
      completed_at: "2024-01-01T00:00:00Z",
      processor: "STRIPE",
      ...extra,
    });
    const fields = await fieldsOf(
      await postBulk(s, [
        stripe({ paid_out_amount: 100, payments: [{ invoice_payment_id: paypal }] }),
        stripe({ paid_out_amount: 100, payments: [{ invoice_payment_id: none }] }),
        stripe({ paid_out_amount: 100, payments: [{ invoice_payment_external_id: "new", amount: 100, processor: "ADYEN" }] }),
        stripe({ paid_out_amount: -10, refunds: [{ refund_external_id: "rf-pp" }] }),
      ]),
    );
    expect(fields["0.payments.0.invoice_payment_id"]![0]).toMatch(/PAYPAL disagrees with the payout's processor STRIPE/);
    expect(fields["1.payments.0.invoice_payment_id"]).toBeDefined();
    expect(fields["2.payments.0.processor"]).toBeDefined();
    expect(fields["3.refunds.0.refund_external_id"]![0]).toMatch(/PAYPAL disagrees/);
    // Without a processor on the payout, any payment goes.
    const ok = await postBulk(s, [
      { external_id: "np", paid_out_amount: 100, completed_at: "2024-01-01T00:00:00Z", payments: [{ invoice_payment_id: paypal }] },
    ]);
    expect(ok.status).toBe(200);
  });

  it("negative fee and negative additional_refunds_amount; a negative paid_out_amount is fine when it balances", async () => {
    const s = await seedBusiness();
    const fields = await fieldsOf(
      await postBulk(s, [
        { ...simplePayout("f"), fee: -5 },
        { ...simplePayout("g"), additional_refunds_amount: -1 },
      ]),
    );
    expect(Object.keys(fields).sort()).toEqual(["0.fee", "1.additional_refunds_amount"]);
    const res = await postBulk(s, [
      {
        external_id: "neg",
        paid_out_amount: -60,
        fee: 10,
        completed_at: "2024-01-01T00:00:00Z",
        refunds: [{ refund_external_id: "r1", refunded_amount: 50 }],
      },
    ]);
    expect(res.status).toBe(200);
  });

  it("amounts that do not balance are refused at paid_out_amount with the amount that would", async () => {
    const s = await seedBusiness();
    const fields = await fieldsOf(await postBulk(s, [{ ...simplePayout("u", 1000, 30), paid_out_amount: 1000 }]));
    expect(fields["0.paid_out_amount"]![0]).toMatch(/= 970, not 1000/);
  });

  it("unknown account identifiers, by id and by stable name", async () => {
    const s = await seedBusiness();
    const fields = await fieldsOf(
      await postBulk(s, [
        {
          ...simplePayout("acc", 1000, 0),
          paid_out_amount: 900,
          payment_clearing_account_identifier: { type: "AccountId", id: "acct_nope" },
          other_transactions: [{ amount: 100, account: { type: "StableName", stable_name: "NOPE" } }],
        },
      ]),
    );
    expect(fields["0.payment_clearing_account_identifier"]![0]).toMatch(/No account with id "acct_nope"/);
    expect(fields["0.other_transactions.0.account"]![0]).toMatch(/No account with stable_name "NOPE"/);
  });

  it("the same payment or refund created twice, or created and referenced, in one request", async () => {
    const s = await seedBusiness();
    const fields = await fieldsOf(
      await postBulk(s, [
        {
          external_id: "c1",
          paid_out_amount: 10,
          completed_at: "2024-01-01T00:00:00Z",
          payments: [{ invoice_payment_external_id: "dup", amount: 10 }],
        },
        {
          external_id: "c2",
          paid_out_amount: 10,
          completed_at: "2024-01-01T00:00:00Z",
          payments: [{ invoice_payment_external_id: "dup", amount: 10 }],
        },
        {
          external_id: "c3",
          paid_out_amount: 10,
          completed_at: "2024-01-01T00:00:00Z",
          payments: [{ invoice_payment_external_id: "dup" }],
        },
        {
          external_id: "c4",
          paid_out_amount: -5,
          completed_at: "2024-01-01T00:00:00Z",
          refunds: [{ refund_external_id: "rd", refunded_amount: 5 }],
        },
        {
          external_id: "c5",
          paid_out_amount: -5,
          completed_at: "2024-01-01T00:00:00Z",
          refunds: [{ refund_external_id: "rd", refunded_amount: 5 }],
        },
      ]),
    );
    expect(fields["1.payments.0.invoice_payment_external_id"]![0]).toMatch(/Also created at 0.payments.0/);
    expect(fields["2.payments.0.invoice_payment_external_id"]![0]).toMatch(/Created at 0.payments.0/);
    expect(fields["4.refunds.0.refund_external_id"]![0]).toMatch(/Also created at 3.refunds.0/);
  });

  it("shape: an empty array, over 1,000 payouts, an object instead of an array, unknown and missing fields", async () => {
    const s = await seedBusiness();
    await fieldsOf(await postBulk(s, []));
    await fieldsOf(
      await postBulk(
        s,
        Array.from({ length: 1001 }, (_, i) => simplePayout(`p${i}`)),
      ),
    );
    await fieldsOf(await postBulk(s, simplePayout("obj")));
    const fields = await fieldsOf(
      await postBulk(s, [
        { ...simplePayout("x"), colour: "red" },
        { paid_out_amount: 1.5, completed_at: "yesterday" },
        { ...simplePayout("y"), payments: [{ amount: 10 }], processor: "VENMO" },
      ]),
    );
    expect(fields["0.colour"]).toBeDefined();
    expect(fields["1.external_id"]).toBeDefined();
    expect(fields["1.paid_out_amount"]).toBeDefined();
    expect(fields["1.completed_at"]).toBeDefined();
    expect(fields["2.payments.0.invoice_payment_external_id"]![0]).toMatch(/Required to create a payment/);
    expect(fields["2.processor"]).toBeDefined();
  });
});
