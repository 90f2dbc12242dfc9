import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seedBusiness } from "../../harness";
import { accounts, entries, postBulk } from "./helpers";

const stableNames = ["UNDEPOSITED_FUNDS", "CURRENT_ASSETS", "CASH", "ACCOUNTS_RECEIVABLE", "PAYMENT_PROCESSING_FEES", "REFUNDS"];
const account = fc.constantFrom(...stableNames).map((stable_name) => ({ type: "StableName", stable_name }));
const cents = (max: number) => fc.integer({ min: 1, max });

// A payout whose paid_out_amount is whatever makes it balance (possibly negative), with new
// payments and refunds, a fee, additional refunds, other transactions and maybe a clearing account.
const payoutShape = fc.record({
  key: fc.integer({ min: 0, max: 5 }),
  payments: fc.array(cents(100_000), { maxLength: 4 }),
  refunds: fc.array(cents(20_000), { maxLength: 2 }),
  fee: fc.integer({ min: 0, max: 5_000 }),
  additional_refunds_amount: fc.integer({ min: 0, max: 1_000 }),
  others: fc.array(fc.record({ amount: fc.integer({ min: -1_000, max: 1_000 }), account }), { maxLength: 2 }),
  clearing: fc.option(account, { nil: undefined }),
});

let serial = 0;
type Shape = typeof payoutShape extends fc.Arbitrary<infer T> ? T : never;
function toRequest(shapes: Shape[]) {
  const seen = new Set<number>();
  return shapes
    .filter((s) => !seen.has(s.key) && seen.add(s.key))
    .map((s) => {
      serial += 1;
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const paid = sum(s.payments) - sum(s.refunds) - s.fee - s.additional_refunds_amount - sum(s.others.map((o) => o.amount));
      return {
        external_id: `prop-${s.key}`,
        paid_out_amount: paid,
        fee: s.fee,
        completed_at: "2024-05-01T00:00:00Z",
        processor: "STRIPE",
        additional_refunds_amount: s.additional_refunds_amount,
        payments: s.payments.map((amount, i) => ({ invoice_payment_external_id: `pay-${serial}-${i}`, amount })),
        refunds: s.refunds.map((refunded_amount, i) => ({ refund_external_id: `ref-${serial}-${i}`, refunded_amount })),
        other_transactions: s.others,
        ...(s.clearing ? { payment_clearing_account_identifier: s.clearing } : {}),
      };
    });
}

describe("journal property", () => {
  it("for random payouts and upserts, every entry balances and every account balance is the sum of its lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(payoutShape, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }),
        async (requests) => {
          const s = await seedBusiness();
          const keys = new Set<string>();
          for (const shapes of requests) {
            const body = toRequest(shapes);
            const res = await postBulk(s, body);
            expect(res.status).toBe(200);
            for (const p of body) keys.add(p.external_id);
          }
          const all = await entries(s);
          expect(all).toHaveLength(keys.size); // one entry per payout, however often it was upserted
          const perAccount = new Map<string, { debits: number; credits: number }>();
          for (const entry of all) {
            let debits = 0;
            let credits = 0;
            for (const line of entry.lines) {
              expect(line.amount).toBeGreaterThan(0);
              const t = perAccount.get(line.account.id.id) ?? { debits: 0, credits: 0 };
              if (line.direction === "DEBIT") {
                debits += line.amount;
                t.debits += line.amount;
              } else {
                credits += line.amount;
                t.credits += line.amount;
              }
              perAccount.set(line.account.id.id, t);
            }
            expect(debits).toBe(credits);
          }
          let net = 0;
          for (const a of Object.values(await accounts(s))) {
            const t = perAccount.get(a.id.id) ?? { debits: 0, credits: 0 };
            expect({ debits: a.debits, credits: a.credits }).toEqual(t);
            expect(a.balance).toBe(a.normal_balance === "DEBIT" ? t.debits - t.credits : t.credits - t.debits);
            net += a.debits - a.credits;
          }
          expect(net).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});
