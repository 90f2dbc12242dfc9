import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setPayoutsEnabled } from "../../../src/services/businesses";
import { call, expectError, seedBusiness, sqlStats, testDb } from "../../harness";
import {
  allocate,
  books,
  createPayee,
  fasterPaymentsInitiation,
  initiate,
  initiateOk,
  type PayoutJson,
  sepaInitiation,
  uniqueRefId,
} from "./helpers";

async function historyOf(payoutId: string) {
  const { rows } = await testDb().execute<{ status: string; id: string }>(
    sql`SELECT id, status FROM payout_status_history WHERE payout_id = ${payoutId}`,
  );
  return rows;
}

describe("POST /api/v1/payouts", () => {
  it("holds the amount from the business balance and answers 200 INITIATION_PENDING, echoing the initiation", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const initiation = sepaInitiation({
      amount: { value: "12.34", currency: "USD" },
      remittanceInformationPrimary: "Invoice 1",
      remittanceInformationSecondary: "November",
      onBehalfOfId: "sub-merchant-1",
    });
    const res = await initiate(s, initiation);
    expect(res.status).toBe(200);
    const { payout } = (await res.json()) as { payout: PayoutJson };
    expect(payout.id).toMatch(/^pay_[0-9a-z]{26}$/);
    expect(payout.status).toBe("INITIATION_PENDING");
    expect(payout).not.toHaveProperty("statusReasonInformation");
    expect(payout.initiation).toEqual(initiation);
    expect(new Date(payout.createdDateTime).toISOString()).toBe(payout.createdDateTime);
    expect(payout.updatedDateTime).toBe(payout.createdDateTime);
    expect(await books(s.business.id)).toMatchObject({ balance: 10_000 - 1_234, held: 1_234, payouts: 1 });
    expect((await historyOf(payout.id)).map((h) => h.status)).toEqual(["INITIATION_PENDING"]);
    // Auth is cached after the first request of a key; with the ledger's view warm, a payout from the
    // business balance is one write by the ledger (its group's), nothing else.
    const before = (await sqlStats(`ledger:${s.business.id}`)).requests;
    const again = await initiate(s, sepaInitiation());
    expect((await sqlStats(again)).requests).toBe(0);
    expect((await sqlStats(`ledger:${s.business.id}`)).requests - before).toBe(1);
  });

  it("pays Faster Payments, SEPA Instant, and currencies with other minor units", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    expect((await initiate(s, fasterPaymentsInitiation())).status).toBe(200);
    expect(
      (await initiate(s, sepaInitiation({ localInstrument: "SEPA_INSTANT", creditor: { name: "A", iban: "GB82WEST12345698765432" } })))
        .status,
    ).toBe(200);
    const jpy = await seedBusiness({ balance: 500n, currency: "JPY" });
    const p = await initiateOk(jpy, sepaInitiation({ amount: { value: "500", currency: "JPY" } }));
    expect(p.initiation.amount).toEqual({ value: "500", currency: "JPY" });
    expect((await books(jpy.business.id)).balance).toBe(0);
    await expectError(await initiate(jpy, sepaInitiation({ amount: { value: "1.5", currency: "JPY" } })), 400, "validation_error");
  });

  it("answers 400 for text the database cannot store (was a 503 found by the fuzz harness)", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    for (const bad of ["\ud800", "a\u0000b"]) {
      await expectError(
        await initiate(s, sepaInitiation({ creditor: { name: bad, iban: "DE89370400440532013000" } })),
        400,
        "validation_error",
      );
      await expectError(await initiate(s, sepaInitiation({ remittanceInformationPrimary: bad })), 400, "validation_error");
    }
    expect((await books(s.business.id)).balance).toBe(10_000);
  });

  it("answers 400 for a currency named like an Object.prototype member (was a 500 found by the fuzz harness)", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    for (const currency of ["__proto__", "constructor", "toString"]) {
      const res = await initiate(s, sepaInitiation({ amount: { value: "1.00", currency } }));
      await expectError(res, 400, "validation_error");
    }
    expect((await books(s.business.id)).balance).toBe(10_000);
  });

  describe("field rules (400 validation_error, nothing written)", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["refId over 18 characters", { refId: "a".repeat(19) }, "initiation.refId"],
      ["refId with other characters", { refId: "inv_2026" }, "initiation.refId"],
      ["empty refId", { refId: "" }, "initiation.refId"],
      ["remittance over 140 characters", { remittanceInformationPrimary: "x".repeat(141) }, "initiation.remittanceInformationPrimary"],
      ["empty secondary remittance", { remittanceInformationSecondary: "" }, "initiation.remittanceInformationSecondary"],
      ["value not a string", { amount: { value: 10, currency: "USD" } }, "initiation.amount.value"],
      ["value not a decimal", { amount: { value: "1e3", currency: "USD" } }, "initiation.amount.value"],
      ["value negative", { amount: { value: "-1.00", currency: "USD" } }, "initiation.amount.value"],
      ["value zero", { amount: { value: "0.00", currency: "USD" } }, "initiation.amount.value"],
      ["value with 3 places in USD", { amount: { value: "1.001", currency: "USD" } }, "initiation.amount.value"],
      ["value too large", { amount: { value: "99999999999999999999", currency: "USD" } }, "initiation.amount.value"],
      ["currency not ISO", { amount: { value: "1.00", currency: "usd" } }, "initiation.amount.currency"],
      ["unknown amount field", { amount: { value: "1.00", currency: "USD", fx: 1 } }, "initiation.amount.fx"],
      ["unknown instrument", { localInstrument: "SWIFT" }, "initiation.localInstrument"],
      ["SEPA without iban", { creditor: { name: "A" } }, "initiation.creditor.iban"],
      ["SEPA with a bad IBAN checksum", { creditor: { name: "A", iban: "DE89370400440532013001" } }, "initiation.creditor.iban"],
      ["SEPA with a lower-case IBAN", { creditor: { name: "A", iban: "de89370400440532013000" } }, "initiation.creditor.iban"],
      ["SEPA with a bad BIC", { creditor: { name: "A", iban: "DE89370400440532013000", bic: "COBA" } }, "initiation.creditor.bic"],
      [
        "SEPA with a sort code",
        { creditor: { name: "A", iban: "DE89370400440532013000", sortCode: "040004" } },
        "initiation.creditor.sortCode",
      ],
      ["creditor without name", { creditor: { iban: "DE89370400440532013000" } }, "initiation.creditor.name"],
      ["unknown creditor field", { creditor: { name: "A", iban: "DE89370400440532013000", phone: "1" } }, "initiation.creditor.phone"],
      ["unknown initiation field", { debtor: { name: "B" } }, "initiation.debtor"],
      ["server-owned field", { status: "INITIATION_COMPLETED" }, "initiation.status"],
    ];
    it.each(cases)("%s", async (_name, override, field) => {
      const s = await seedBusiness({ balance: 10_000n });
      const err = await expectError(await initiate(s, sepaInitiation(override)), 400, "validation_error");
      expect(Object.keys(err.fields ?? {})).toContain(field);
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });

    const fp: [string, Record<string, unknown>, string][] = [
      ["sort code of 5 digits", { name: "A", sortCode: "04000", accountNumber: "12345678" }, "initiation.creditor.sortCode"],
      ["sort code with hyphens", { name: "A", sortCode: "04-00-04", accountNumber: "12345678" }, "initiation.creditor.sortCode"],
      ["account number of 7 digits", { name: "A", sortCode: "040004", accountNumber: "1234567" }, "initiation.creditor.accountNumber"],
      ["no account number", { name: "A", sortCode: "040004" }, "initiation.creditor.accountNumber"],
      ["an IBAN", { name: "A", sortCode: "040004", accountNumber: "12345678", iban: "DE89370400440532013000" }, "initiation.creditor.iban"],
    ];
    it.each(fp)("Faster Payments: %s", async (_name, creditor, field) => {
      const s = await seedBusiness({ balance: 10_000n });
      const err = await expectError(await initiate(s, fasterPaymentsInitiation({ creditor })), 400, "validation_error");
      expect(Object.keys(err.fields ?? {})).toContain(field);
    });

    it("a body without initiation, or with fields beside it", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      await expectError(await s.call("POST", "/api/v1/payouts", { json: {} }), 400, "validation_error");
      const err = await expectError(
        await s.call("POST", "/api/v1/payouts", { json: { initiation: sepaInitiation(), extra: 1 } }),
        400,
        "validation_error",
      );
      expect(err.fields).toHaveProperty("extra");
    });

    it("a currency other than the business's", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const err = await expectError(
        await initiate(s, sepaInitiation({ amount: { value: "1.00", currency: "EUR" } })),
        400,
        "validation_error",
      );
      expect(err.fields).toHaveProperty(["initiation.amount.currency"]);
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });
  });

  it("answers 501 not_implemented for an instrument the rail does not support", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    await expectError(
      await initiate(s, sepaInitiation({ localInstrument: "ELIXIR", creditor: { name: "A", accountNumber: "1" } })),
      501,
      "not_implemented",
    );
    expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
  });

  it("answers 400 insufficient_balance and writes nothing; exactly the balance is fine", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    await expectError(await initiate(s, sepaInitiation({ amount: { value: "10.01", currency: "USD" } })), 400, "insufficient_balance");
    expect(await books(s.business.id)).toMatchObject({ balance: 1_000, payouts: 0 });
    await initiateOk(s, sepaInitiation({ amount: { value: "10", currency: "USD" } }));
    expect(await books(s.business.id)).toMatchObject({ balance: 0, held: 1_000, payouts: 1 });
  });

  it("answers 403 payouts_disabled, also when switched off after the ledger loaded", async () => {
    const off = await seedBusiness({ balance: 10_000n, payoutsEnabled: false });
    await expectError(await initiate(off, sepaInitiation()), 403, "payouts_disabled");
    const s = await seedBusiness({ balance: 10_000n });
    await initiateOk(s, sepaInitiation());
    await setPayoutsEnabled(testDb(), s.business.id, false);
    await expectError(await initiate(s, sepaInitiation()), 403, "payouts_disabled");
    expect(await books(s.business.id)).toMatchObject({ balance: 9_000, payouts: 1 });
  });

  it("answers 409 duplicate_ref_id for a refId already used in the business, not in another", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const refId = uniqueRefId();
    await initiateOk(s, sepaInitiation({ refId }));
    await expectError(await initiate(s, sepaInitiation({ refId })), 409, "duplicate_ref_id");
    expect(await books(s.business.id)).toMatchObject({ balance: 9_000, payouts: 1 });
    const other = await seedBusiness({ balance: 10_000n });
    await initiateOk(other, sepaInitiation({ refId }));
    // Concurrent twins: exactly one wins.
    const twin = uniqueRefId();
    const answers = await Promise.all([1, 2, 3].map(() => initiate(s, sepaInitiation({ refId: twin }))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect(await books(s.business.id)).toMatchObject({ balance: 8_000, payouts: 2 });
  });

  describe("Idempotency-Key", () => {
    it("replays the first answer without a second payout; another body is a 422", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const initiation = sepaInitiation();
      const first = await initiate(s, initiation, { "Idempotency-Key": "k1" });
      const again = await initiate(s, initiation, { "Idempotency-Key": "k1" });
      expect(again.status).toBe(200);
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      expect(await books(s.business.id)).toMatchObject({ balance: 9_000, payouts: 1 });
      await expectError(await initiate(s, sepaInitiation(), { "Idempotency-Key": "k1" }), 422, "idempotency_key_reused");
    });

    it("replays a refusal too", async () => {
      const s = await seedBusiness({ balance: 10n });
      const initiation = sepaInitiation();
      await expectError(await initiate(s, initiation, { "Idempotency-Key": "k2" }), 400, "insufficient_balance");
      const again = await initiate(s, initiation, { "Idempotency-Key": "k2" });
      expect(again.headers.get("Idempotent-Replayed")).toBe("true");
      expect(again.status).toBe(400);
      // The replay is the first answer, request_id included.
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe("insufficient_balance");
    });
  });

  describe("payee rules (nothing debited)", () => {
    it("pays an active payee without a hold, at or above its threshold", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const payeeId = await createPayee(s, { minimum_payout_threshold: "25.00" });
      const p = await initiateOk(s, sepaInitiation({ payeeId, amount: { value: "25.00", currency: "USD" } }));
      expect(p.initiation.payeeId).toBe(payeeId);
      const { rows } = await testDb().execute<{ payee_id: string }>(sql`SELECT payee_id FROM payouts WHERE id = ${p.id}`);
      expect(rows[0]!.payee_id).toBe(payeeId);
    });

    it("409 payee_on_hold carries the hold reason", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const payeeId = await createPayee(s, { hold_status: "on_hold", hold_reason: "Missing W-9 tax form" });
      const err = await expectError(await initiate(s, sepaInitiation({ payeeId })), 409, "payee_on_hold");
      expect(err.message).toContain("Missing W-9 tax form");
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });

    it("409 payee_inactive for an inactive or pending payee", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      for (const status of ["inactive", "pending"]) {
        const payeeId = await createPayee(s, { status });
        await expectError(await initiate(s, sepaInitiation({ payeeId })), 409, "payee_inactive");
      }
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });

    it("400 below_minimum_payout_threshold", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const payeeId = await createPayee(s, { minimum_payout_threshold: "25.00" });
      const err = await expectError(
        await initiate(s, sepaInitiation({ payeeId, amount: { value: "24.99", currency: "USD" } })),
        400,
        "below_minimum_payout_threshold",
      );
      expect(err.message).toContain("25.00");
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });

    it("404 for an unknown payee or another business's", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      await expectError(await initiate(s, sepaInitiation({ payeeId: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w" })), 404, "not_found");
      const other = await seedBusiness();
      const theirs = await createPayee(other);
      await expectError(await initiate(s, sepaInitiation({ payeeId: theirs })), 404, "not_found");
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });
  });

  describe("from a payout user's balance", () => {
    it("debits the payout user, not the business, with a history row", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const userId = await allocate(s, "ann@example.com", 3_000);
      const p = await initiateOk(s, sepaInitiation({ payoutUserId: userId, amount: { value: "12.00", currency: "USD" } }));
      expect(await books(s.business.id)).toMatchObject({ balance: 7_000, users: 1_800, held: 1_200, userDebits: -1_200 });
      const history = (await (await s.call("GET", `/api/v1/payout-users/${userId}/transactions`)).json()) as {
        data: { type: string; amount: number; balance_after: number }[];
      };
      expect(history.data[0]).toMatchObject({ type: "payout", amount: -1_200, balance_after: 1_800 });
      const { rows } = await testDb().execute<{ payout_user_id: string }>(sql`SELECT payout_user_id FROM payouts WHERE id = ${p.id}`);
      expect(rows[0]!.payout_user_id).toBe(userId);
    });

    it("400 insufficient_balance when the user's balance cannot cover it, even if the business's can", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const userId = await allocate(s, "bob@example.com", 500);
      await expectError(
        await initiate(s, sepaInitiation({ payoutUserId: userId, amount: { value: "5.01", currency: "USD" } })),
        400,
        "insufficient_balance",
      );
      expect(await books(s.business.id)).toMatchObject({ balance: 9_500, users: 500, payouts: 0 });
    });

    it("404 for an unknown payout user or another business's", async () => {
      const s = await seedBusiness({ balance: 10_000n });
      await expectError(await initiate(s, sepaInitiation({ payoutUserId: "pou_01jz8k6q4m0x3v7e2c5n9r1t8w" })), 404, "not_found");
      const other = await seedBusiness({ balance: 10_000n });
      const theirs = await allocate(other, "eve@example.com", 5_000);
      await expectError(await initiate(s, sepaInitiation({ payoutUserId: theirs })), 404, "not_found");
      expect(await books(other.business.id)).toMatchObject({ users: 5_000, payouts: 0 });
    });
  });

  describe("auth", () => {
    it("401 without a key, 403 without write:payouts", async () => {
      await expectError(await call("POST", "/api/v1/payouts", { json: { initiation: sepaInitiation() } }), 401, "unauthorized");
      const s = await seedBusiness({ balance: 10_000n, scopes: ["read:payouts"] });
      await expectError(await initiate(s, sepaInitiation()), 403, "insufficient_scope");
      expect(await books(s.business.id)).toMatchObject({ balance: 10_000, payouts: 0 });
    });
  });
});
