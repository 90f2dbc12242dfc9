import { describe, expect, it } from "vitest";
import type { Seeded } from "../../harness";
import { expectError, seedBusiness } from "../../harness";
import { base, type PayoutJson, postBulk } from "./helpers";

interface BankJson {
  id: string;
  source: string;
  source_transaction_id: string;
  amount: number;
  categorization_status: string;
  match: { id: string; match_type: string; payout_id: string } | null;
}

const payout = (external_id: string, amount: number, completed_at: string, processor = "STRIPE") => ({
  external_id,
  paid_out_amount: amount,
  completed_at,
  processor,
  payments: [{ invoice_payment_external_id: `${external_id}-pay`, amount }],
});

const bank = (id: string, amount: number, date: string, extra: Record<string, unknown> = {}) => ({
  source: "STRIPE",
  source_transaction_id: id,
  date,
  direction: "CREDIT",
  amount,
  description: `Payout (${id}).`,
  account_name: "Layer Banking",
  ...extra,
});

async function importBank(s: Seeded, items: unknown[]) {
  const res = await s.call("POST", `${base(s)}/bank-transactions/bulk`, { json: items });
  expect(res.status).toBe(200);
  return (await res.json()) as BankJson[];
}

async function importPayouts(s: Seeded, items: unknown[]) {
  const res = await postBulk(s, items);
  expect(res.status).toBe(200);
  return (await res.json()) as PayoutJson[];
}

const getPayout = async (s: Seeded, id: string) =>
  ((await (await s.call("GET", `${base(s)}/payouts/${id}`)).json()) as { data: PayoutJson }).data;

describe("matching bank credits to payouts", () => {
  it("exact: a bank credit imported after the payout fills the payout's match as the page shows it", async () => {
    const s = await seedBusiness();
    const [p] = await importPayouts(s, [payout("po-x", 87459, "2024-03-05T10:00:00Z")]);
    expect(p!.match).toBeNull();
    const [t] = await importBank(s, [bank("trxn_1", 87459, "2024-03-06T06:06:40Z", { source_account_id: "acc-1" })]);
    expect(t).toMatchObject({ categorization_status: "MATCHED", match: { match_type: "PAYOUT", payout_id: p!.id } });
    const after = await getPayout(s, p!.id);
    expect(after.match).toMatchObject({
      id: t!.match!.id,
      match_type: "PAYOUT",
      bank_transaction: {
        type: "Bank_Transaction_Data",
        id: t!.id,
        business_id: s.business.id,
        source: "STRIPE",
        source_transaction_id: "trxn_1",
        source_account_id: "acc-1",
        date: "2024-03-06T06:06:40.000Z",
        direction: "CREDIT",
        amount: 87459,
        counterparty_name: null,
        description: "Payout (trxn_1).",
        account_name: "Layer Banking",
        categorization_status: "MATCHED",
      },
      details: {
        type: "Payout_Match",
        amount: 87459,
        date: "2024-03-06T00:00:00.000Z",
        description: "Payout from STRIPE.",
        adjustment: null,
      },
    });
  });

  it("exact, the other way round: a payout imported after its bank credit is answered matched", async () => {
    const s = await seedBusiness();
    await importBank(s, [bank("trxn_2", 5000, "2024-03-01T00:00:00Z", { source: "CHASE", description: "STRIPE TRANSFER 123" })]);
    const [p] = await importPayouts(s, [payout("po-y", 5000, "2024-02-27T00:00:00Z")]);
    expect(p!.match?.bank_transaction.source_transaction_id).toBe("trxn_2");
  });

  it("none: another amount, over 5 days apart, a DEBIT, or another processor; both sides listable as unmatched", async () => {
    const s = await seedBusiness();
    await importPayouts(s, [payout("po-n", 1000, "2024-03-10T00:00:00Z")]);
    const imported = await importBank(s, [
      bank("t-amount", 1001, "2024-03-10T00:00:00Z"),
      bank("t-late", 1000, "2024-03-15T00:00:01Z"),
      bank("t-debit", 1000, "2024-03-10T00:00:00Z", { direction: "DEBIT" }),
      bank("t-paypal", 1000, "2024-03-10T00:00:00Z", { source: "PAYPAL", description: "transfer" }),
    ]);
    expect(imported.every((t) => t.match === null && t.categorization_status === "READY_FOR_INPUT")).toBe(true);
    const unmatchedPayouts = (await (await s.call("GET", `${base(s)}/payouts?matched=false`)).json()) as { data: PayoutJson[] };
    expect(unmatchedPayouts.data.map((p) => p.external_id)).toEqual(["po-n"]);
    const unmatchedBank = (await (await s.call("GET", `${base(s)}/bank-transactions?matched=false`)).json()) as { data: BankJson[] };
    expect(unmatchedBank.data).toHaveLength(4);
    // Exactly 5 days is still inside the window.
    const [edge] = await importBank(s, [bank("t-edge", 1000, "2024-03-15T00:00:00Z")]);
    expect(edge!.match).not.toBeNull();
  });

  it("ambiguous: the closest date wins and each side is matched at most once", async () => {
    const s = await seedBusiness();
    const [far, near] = await importPayouts(s, [
      payout("po-far", 700, "2024-03-01T00:00:00Z"),
      payout("po-near", 700, "2024-03-04T00:00:00Z"),
    ]);
    const [t] = await importBank(s, [bank("t-amb", 700, "2024-03-05T00:00:00Z")]);
    expect(t!.match!.payout_id).toBe(near!.id);
    expect((await getPayout(s, far!.id)).match).toBeNull();
    // Two credits arriving together for the one remaining payout: the closer one takes it.
    const both = await importBank(s, [bank("t-a", 700, "2024-03-05T12:00:00Z"), bank("t-b", 700, "2024-03-02T00:00:00Z")]);
    expect(both.map((x) => x.match?.payout_id ?? null)).toEqual([null, far!.id]);
  });

  it("undo: DELETE .../match unmatches both sides; a second DELETE answers the same", async () => {
    const s = await seedBusiness();
    const [p] = await importPayouts(s, [payout("po-u", 300, "2024-03-01T00:00:00Z")]);
    const [t] = await importBank(s, [bank("t-u", 300, "2024-03-02T00:00:00Z")]);
    expect(t!.match).not.toBeNull();
    for (let i = 0; i < 2; i++) {
      const res = await s.call("DELETE", `${base(s)}/payouts/${p!.id}/match`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: PayoutJson }).data.match).toBeNull();
    }
    const list = (await (await s.call("GET", `${base(s)}/bank-transactions?matched=false`)).json()) as { data: BankJson[] };
    expect(list.data.map((x) => x.id)).toEqual([t!.id]);
    await expectError(await s.call("DELETE", `${base(s)}/payouts/lpo_nope/match`), 404, "not_found");
    const other = await seedBusiness();
    await expectError(await other.call("DELETE", `${base(s)}/payouts/${p!.id}/match`), 404, "not_found");
    await expectError(await other.call("DELETE", `${base(other)}/payouts/${p!.id}/match`), 404, "not_found");
  });

  it("bank transactions upsert by source + source_transaction_id; a changed amount drops the match; duplicates in a request are a 400", async () => {
    const s = await seedBusiness();
    const [p] = await importPayouts(s, [payout("po-b", 400, "2024-03-01T00:00:00Z")]);
    const [first] = await importBank(s, [bank("t-b", 400, "2024-03-01T00:00:00Z")]);
    expect(first!.match!.payout_id).toBe(p!.id);
    const [again] = await importBank(s, [bank("t-b", 401, "2024-03-01T00:00:00Z")]);
    expect(again!.id).toBe(first!.id);
    expect(again!.match).toBeNull();
    const err = await expectError(
      await s.call("POST", `${base(s)}/bank-transactions/bulk`, {
        json: [bank("d", 1, "2024-03-01T00:00:00Z"), bank("d", 2, "2024-03-01T00:00:00Z")],
      }),
      400,
      "validation_error",
    );
    expect(err.fields).toHaveProperty("1.source_transaction_id");
    const bad = await expectError(
      await s.call("POST", `${base(s)}/bank-transactions/bulk`, {
        json: [{ ...bank("e", 0, "2024-03-01T00:00:00Z"), direction: "SIDEWAYS" }],
      }),
      400,
      "validation_error",
    );
    expect(Object.keys(bad.fields!).sort()).toEqual(["0.amount", "0.direction"]);
    const noScope = await seedBusiness({ scopes: ["read:ledger"] });
    await expectError(
      await noScope.call("POST", `${base(noScope)}/bank-transactions/bulk`, { json: [bank("f", 1, "2024-03-01T00:00:00Z")] }),
      403,
      "insufficient_scope",
    );
  });
});
