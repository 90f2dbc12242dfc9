// A payout whose write committed although its request was answered 503 (the BalanceLedger restarted
// mid-write, or could not tell whether the write had committed): the 503 releases the Idempotency-Key,
// and the client's retry with the same key and body must be answered that payout, not "refused"
// (409 duplicate_ref_id) for money that is held. Found by the bank check (`npm run bench -- bank`).
import { describe, expect, it } from "vitest";
import { injectFault, seedBusiness } from "../../harness";
import { dollar, payoutIds } from "./concurrency-helpers";
import { books, sepaInitiation, uniqueRefId } from "./helpers";

/** The write commits and its answer is lost, then the ledger's look for it fails too: it answers 503. */
async function loseTheNextPayoutWrite(businessId: string) {
  await injectFault({ count: 1, tag: `ledger:${businessId}`, match: "INSERT INTO payouts", phase: "after" });
  // findPayoutsByIds, the ledger's check whether a failed write committed.
  await injectFault({ count: 1, tag: `ledger:${businessId}`, match: "p\\.id = ANY\\(", phase: "before" });
}

describe("a keyed payout retried after a 503 whose write had committed", () => {
  it("POST /payouts: the retry with the same key is answered the payout the first attempt wrote", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const initiation = sepaInitiation({ amount: dollar });
    await loseTheNextPayoutWrite(s.business.id);
    const first = await s.call("POST", "/api/v1/payouts", { json: { initiation }, headers: { "Idempotency-Key": "lost-1" } });
    expect(first.status).toBe(503);
    const [written] = await payoutIds(s.business.id);
    expect(written).toBeDefined(); // it did commit

    const retry = await s.call("POST", "/api/v1/payouts", { json: { initiation }, headers: { "Idempotency-Key": "lost-1" } });
    const body = (await retry.json()) as { payout?: { id: string }; error?: { code: string } };
    expect({ status: retry.status, code: body.error?.code }).toEqual({ status: 200, code: undefined });
    expect(body.payout!.id).toBe(written);
    // And the key now replays that success.
    const replay = await s.call("POST", "/api/v1/payouts", { json: { initiation }, headers: { "Idempotency-Key": "lost-1" } });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await replay.json()) as { payout: { id: string } }).payout.id).toBe(written);
    expect(await books(s.business.id)).toMatchObject({ payouts: 1 });
  });

  it("POST /payouts/batch: each item the first attempt wrote is answered as written", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const initiations = [sepaInitiation({ amount: dollar }), sepaInitiation({ amount: dollar })];
    await loseTheNextPayoutWrite(s.business.id);
    const send = () => s.call("POST", "/api/v1/payouts/batch", { json: { initiations }, headers: { "Idempotency-Key": "lost-2" } });
    const first = (await (await send()).json()) as { data: { status: number }[] };
    expect(first.data.map((d) => d.status)).toEqual([503, 503]);
    const written = await payoutIds(s.business.id);
    expect(written).toHaveLength(2);

    // The items said "retry" and the key kept that answer, so the client retries them under a new key.
    const retry = await s.call("POST", "/api/v1/payouts/batch", { json: { initiations }, headers: { "Idempotency-Key": "lost-2b" } });
    const body = (await retry.json()) as { data: { success: boolean; payout?: { id: string } }[] };
    expect(body.data.map((d) => d.success)).toEqual([true, true]);
    expect(body.data.map((d) => d.payout!.id).sort()).toEqual(written);
    expect(await books(s.business.id)).toMatchObject({ payouts: 2 });
  });

  it("still refuses a different payout that reuses the refId, key or not", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const refId = uniqueRefId("d");
    const first = await s.call("POST", "/api/v1/payouts", { json: { initiation: sepaInitiation({ refId, amount: dollar }) } });
    expect(first.status).toBe(200);
    const other = sepaInitiation({ refId, amount: { value: "2.00", currency: "USD" } });
    const keyed = await s.call("POST", "/api/v1/payouts", { json: { initiation: other }, headers: { "Idempotency-Key": "other" } });
    expect(keyed.status).toBe(409);
    expect(await books(s.business.id)).toMatchObject({ payouts: 1, balance: 9_900 });
  });
});
