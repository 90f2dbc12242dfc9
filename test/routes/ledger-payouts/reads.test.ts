import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness } from "../../harness";
import { accounts, base, entries, type PayoutJson, postBulk, simplePayout } from "./helpers";

async function seedPayouts() {
  const s = await seedBusiness();
  const res = await postBulk(s, [
    simplePayout("r-1", 1000, 30, { reference_number: "REF-A", completed_at: "2024-01-01T00:00:00Z" }),
    simplePayout("r-2", 1000, 30, { reference_number: "REF-B", completed_at: "2024-01-02T00:00:00Z", processor: "PAYPAL" }),
    simplePayout("r-3", 1000, 30, { reference_number: "REF-A", completed_at: "2024-01-03T00:00:00Z" }),
  ]);
  expect(res.status).toBe(200);
  return { s, payouts: (await res.json()) as PayoutJson[] };
}

const listIds = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: PayoutJson[] }).data.map((p) => p.external_id);
};

describe("GET payouts, entries and accounts", () => {
  it("lists with filters: reference_number, external_id, processor, completed date range", async () => {
    const { s } = await seedPayouts();
    const list = (q: string) => s.call("GET", `${base(s)}/payouts${q}`).then(listIds);
    expect(await list("")).toEqual(["r-1", "r-2", "r-3"]);
    expect(await list("?reference_number=REF-A")).toEqual(["r-1", "r-3"]);
    expect(await list("?external_id=r-2")).toEqual(["r-2"]);
    expect(await list("?processor=PAYPAL")).toEqual(["r-2"]);
    expect(await list("?completed_after=2024-01-02T00:00:00Z")).toEqual(["r-2", "r-3"]);
    expect(await list("?completed_before=2024-01-02T00:00:00Z")).toEqual(["r-1"]);
    expect(await list("?matched=false")).toEqual(["r-1", "r-2", "r-3"]);
  });

  it("pages with an opaque cursor", async () => {
    const { s } = await seedPayouts();
    const first = await s.call("GET", `${base(s)}/payouts?limit=2`);
    const page = (await first.json()) as { data: PayoutJson[]; meta: { next_cursor: string | null } };
    expect(page.data.map((p) => p.external_id)).toEqual(["r-1", "r-2"]);
    const second = await s.call("GET", `${base(s)}/payouts?limit=2&cursor=${page.meta.next_cursor}`);
    const page2 = (await second.json()) as { data: PayoutJson[]; meta: { next_cursor: string | null } };
    expect(page2.data.map((p) => p.external_id)).toEqual(["r-3"]);
    expect(page2.meta.next_cursor).toBeNull();
    await expectError(await s.call("GET", `${base(s)}/payouts?cursor=garbage`), 400, "invalid_cursor");
  });

  it("refuses unknown and malformed query parameters", async () => {
    const { s } = await seedPayouts();
    const err = await expectError(await s.call("GET", `${base(s)}/payouts?colour=red&processor=VENMO`), 400, "validation_error");
    expect(err.fields).toHaveProperty("colour");
    expect(err.fields).toHaveProperty("processor");
    await expectError(await s.call("GET", `${base(s)}/ledger/entries?nope=1`), 400, "validation_error");
  });

  it("gets one payout; an unknown id, or another business's payout, is a 404", async () => {
    const { s, payouts } = await seedPayouts();
    const res = await s.call("GET", `${base(s)}/payouts/${payouts[1]!.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: PayoutJson }).data).toEqual(payouts[1]);
    await expectError(await s.call("GET", `${base(s)}/payouts/lpo_nope`), 404, "not_found");
    const other = await seedBusiness();
    // Another business's key: its own path does not have the payout, and our path is a 404.
    await expectError(await other.call("GET", `${base(other)}/payouts/${payouts[1]!.id}`), 404, "not_found");
    await expectError(await other.call("GET", `${base(s)}/payouts/${payouts[1]!.id}`), 404, "not_found");
    await expectError(await other.call("GET", `${base(s)}/payouts`), 404, "not_found");
    await expectError(await other.call("GET", `${base(s)}/ledger/accounts`), 404, "not_found");
    await expectError(await other.call("GET", `${base(s)}/ledger/entries`), 404, "not_found");
  });

  it("needs read:ledger", async () => {
    const s = await seedBusiness({ scopes: ["read:payees"] });
    await expectError(await s.call("GET", `${base(s)}/payouts`), 403, "insufficient_scope");
    await expectError(await call("GET", `${base(s)}/ledger/accounts`), 401, "unauthorized");
  });

  it("the chart of accounts: the default accounts in the page's shape, each once", async () => {
    const s = await seedBusiness();
    const [a, b] = await Promise.all([accounts(s), accounts(s)]);
    expect(Object.keys(a).sort()).toEqual([
      "ACCOUNTS_RECEIVABLE",
      "CASH",
      "CURRENT_ASSETS",
      "PAYMENT_PROCESSING_FEES",
      "REFUNDS",
      "UNDEPOSITED_FUNDS",
    ]);
    expect(b.UNDEPOSITED_FUNDS!.id).toEqual(a.UNDEPOSITED_FUNDS!.id);
    expect(a.UNDEPOSITED_FUNDS).toMatchObject({
      name: "Undeposited Funds",
      stable_name: { type: "StableName", stable_name: "UNDEPOSITED_FUNDS" },
      account_type: { display_name: "Asset" },
      account_subtype: { display_name: "Current Assets" },
      balance: 0,
    });
    expect(a.UNDEPOSITED_FUNDS!.id.id).toMatch(/^acct_/);
  });

  it("entries: per payout and per account", async () => {
    const { s, payouts } = await seedPayouts();
    expect(await entries(s)).toHaveLength(3);
    const one = await entries(s, `&payout_id=${payouts[0]!.id}`);
    expect(one).toHaveLength(1);
    expect(one[0]!.lines.map((l) => [l.account.stable_name?.stable_name, l.direction, l.amount])).toEqual(
      expect.arrayContaining([
        ["ACCOUNTS_RECEIVABLE", "CREDIT", 1000],
        ["UNDEPOSITED_FUNDS", "DEBIT", 970],
        ["PAYMENT_PROCESSING_FEES", "DEBIT", 30],
      ]),
    );
    const chart = await accounts(s);
    expect(await entries(s, `&account_id=${chart.PAYMENT_PROCESSING_FEES!.id.id}`)).toHaveLength(3);
    expect(await entries(s, `&account_id=${chart.REFUNDS!.id.id}`)).toHaveLength(0);
  });
});
