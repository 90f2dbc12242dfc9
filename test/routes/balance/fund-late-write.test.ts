// A keyed fund whose credit statement lands late: the BalanceLedger was restarted (or the answer
// was otherwise lost) while its statement was still on its way to the database, the request was
// answered 503 and its key released, and the client retried. The late statement and the retry
// must credit once between them. Found by the bank check (`npm run bench -- bank`) as funded
// totals that came out 5,000-10,000 cents high after BalanceLedger restarts.
import { describe, expect, it } from "vitest";
import { requestFingerprint } from "../../../src/lib/fingerprint";
import { fundBusiness } from "../../../src/services/businesses";
import { claimIdempotencyKey, releaseIdempotencyKey } from "../../../src/services/idempotency-keys";
import { seedBusiness, testDb } from "../../harness";

const path = "/api/v1/balance/fund";

async function balanceOf(s: Awaited<ReturnType<typeof seedBusiness>>) {
  return ((await (await s.call("GET", "/api/v1/balance")).json()) as { data: { balance: number } }).data.balance;
}

/** What the idempotency middleware does for a request answered 503: claim the key, then release it. */
async function claimedAnd503(businessId: string, key: string, amount: number) {
  const fingerprint = await requestFingerprint("POST", path, { amount });
  expect(await claimIdempotencyKey(testDb(), businessId, key, { method: "POST", path, fingerprint })).toEqual({ claimed: true });
  await releaseIdempotencyKey(testDb(), businessId, key);
}

describe("a keyed fund whose statement lands after its request was answered 503", () => {
  it("after the key was released: the late statement credits nothing, the retry credits once", async () => {
    const s = await seedBusiness({ balance: 0n });
    await claimedAnd503(s.business.id, "late-1", 500);
    // The first attempt's statement, landing now (the ledger that sent it is gone).
    await fundBusiness(testDb(), s.business.id, 500n, "late-1").catch(() => undefined);
    const retry = await s.call("POST", path, { json: { amount: 500 }, headers: { "Idempotency-Key": "late-1" } });
    expect(retry.status).toBe(200);
    expect(await balanceOf(s)).toBe(500);
  });

  it("after the retry claimed the key: one credit, and the retry is answered it", async () => {
    const s = await seedBusiness({ balance: 0n });
    await claimedAnd503(s.business.id, "late-2", 700);
    // The retry claims the key; before its own statement runs, the first attempt's lands.
    const fingerprint = await requestFingerprint("POST", path, { amount: 700 });
    await claimIdempotencyKey(testDb(), s.business.id, "late-2", { method: "POST", path, fingerprint });
    await fundBusiness(testDb(), s.business.id, 700n, "late-2").catch(() => undefined);
    // The retry's own statement: the claim is already answered, so it must not credit again.
    await fundBusiness(testDb(), s.business.id, 700n, "late-2").catch(() => undefined);
    expect(await balanceOf(s)).toBe(700);
    // And the key answers with that one credit.
    const again = await s.call("POST", path, { json: { amount: 700 }, headers: { "Idempotency-Key": "late-2" } });
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await balanceOf(s)).toBe(700);
  });

  it("still credits a fund without a key, and the admin CLI's, every time", async () => {
    const s = await seedBusiness({ balance: 0n });
    await fundBusiness(testDb(), s.business.id, 100n);
    expect((await s.call("POST", path, { json: { amount: 100 } })).status).toBe(200);
    expect(await balanceOf(s)).toBe(200);
  });
});
