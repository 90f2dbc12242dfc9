import { SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type PayoutStatus, payoutStatuses } from "../../../schema/payouts";
import { localSandboxSecret, signWebhook } from "../../../src/rails/signing";
import { canMove } from "../../../src/services/payout-lifecycle/status-machine";
import { expectError, seedBusiness, testDb } from "../../harness";
import { businessBalance, eventsFor, history, payoutRow, type SandboxWord, seedPayout, sendRailEvent } from "../../lifecycle/helpers";

const word: Record<Exclude<PayoutStatus, "INITIATION_PENDING">, SandboxWord> = {
  INITIATION_PROCESSING: "processing",
  INITIATION_COMPLETED: "settled",
  INITIATION_REJECTED: "rejected",
  INITIATION_FAILED: "failed",
};

async function receipt(res: Response) {
  expect(res.status).toBe(200);
  return (await res.json()) as { received: true; duplicate: boolean; applied: boolean };
}

describe("POST /webhooks/rails/{rail}: signatures", () => {
  it("applies a correctly signed event and keeps a history row with the rail's reason", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    const r = await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing", reason: "On its way" }));
    expect(r).toEqual({ received: true, duplicate: false, applied: true });
    expect(await payoutRow(id)).toMatchObject({ status: "INITIATION_PROCESSING", status_reason_information: "On its way" });
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING"]);
  });

  it("a webhook-id seen before is a 200 that changes nothing", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing", webhookId: "msg_replayed_1" + id }));
    // Same id, even with another (validly signed) body: the first delivery stands.
    const again = await receipt(
      await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected", webhookId: "msg_replayed_1" + id }),
    );
    expect(again).toEqual({ received: true, duplicate: true, applied: false });
    expect((await payoutRow(id)).status).toBe("INITIATION_PROCESSING");
    expect(await history(id)).toHaveLength(2);
    expect(await eventsFor(id)).toBe(1);
    expect(await businessBalance(s.business.id)).toBe(9_000);
  });

  const refusals: [string, (h: Record<string, string>, b: string) => [Record<string, string>, string]][] = [
    ["a wrong signature", (h, b) => [{ ...h, "webhook-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, b]],
    ["a body changed after signing", (h, b) => [h, b.replace("processing", "settled")]],
    ["no webhook-signature", (h, b) => [{ ...h, "webhook-signature": "" }, b]],
    ["no webhook-id", (h, b) => [{ ...h, "webhook-id": "" }, b]],
    ["no webhook-timestamp", (h, b) => [{ ...h, "webhook-timestamp": "" }, b]],
    ["a signature of another version", (h, b) => [{ ...h, "webhook-signature": h["webhook-signature"]!.replace("v1,", "v2,") }, b]],
  ];
  for (const [what, tamper] of refusals) {
    it(`${what} is a 401 and changes nothing`, async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const id = await seedPayout({ businessId: s.business.id });
      const res = await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing" }, tamper);
      await expectError(res, 401, "unauthorized");
      expect(await history(id)).toEqual(["INITIATION_PENDING"]);
      expect(await eventsFor(id)).toBe(0);
    });
  }

  it("a secret other than the rail's is a 401", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    const res = await sendRailEvent({
      businessId: s.business.id,
      payoutId: id,
      status: "rejected",
      secret: "whsec_" + btoa("another secret, not the rail's"),
    });
    await expectError(res, 401, "unauthorized");
    expect(await businessBalance(s.business.id)).toBe(9_000);
  });

  for (const [what, offsetMs] of [
    ["more than 5 minutes old", -301_000],
    ["more than 5 minutes ahead", 301_000],
  ] as const) {
    it(`a correctly signed timestamp ${what} is a 401 and changes nothing`, async () => {
      const s = await seedBusiness({ balance: 10_000n });
      const id = await seedPayout({ businessId: s.business.id });
      const res = await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected", at: new Date(Date.now() + offsetMs) });
      await expectError(res, 401, "unauthorized");
      expect((await payoutRow(id)).status).toBe("INITIATION_PENDING");
      expect(await businessBalance(s.business.id)).toBe(9_000);
    });
  }

  it("a timestamp 4 minutes old is still accepted", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    const r = await receipt(
      await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing", at: new Date(Date.now() - 240_000) }),
    );
    expect(r.applied).toBe(true);
  });

  it("an unknown rail is a 404", async () => {
    const res = await sendRailEvent({ businessId: "biz_x", payoutId: "pay_x", status: "settled", rail: "swift" });
    await expectError(res, 404, "not_found");
  });

  it("a signed body that is not a payment event is a 400", async () => {
    const s = await seedBusiness();
    const res = await sendRailEvent({ businessId: s.business.id, payoutId: "pay_x", status: "settled" }, (h, _b) => {
      const body = JSON.stringify({ hello: "world" });
      return [{ ...h, ...resign(h["webhook-id"]!, body) }, body];
    });
    await expectError(res, 400, "validation_error");
  });

  it("text the database cannot store or an overlong id is a 400, and a status named like an Object.prototype member moves nothing (were 503s found by the fuzz harness)", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    for (const bad of [`${s.business.id}\u0000`, "\ud800"]) {
      await expectError(await sendRailEvent({ businessId: bad, payoutId: id, status: "settled" }), 400, "validation_error");
      await expectError(
        await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "settled", reason: bad }),
        400,
        "validation_error",
      );
    }
    const long = "é".repeat(50_000);
    await expectError(await sendRailEvent({ businessId: long, payoutId: id, status: "settled" }), 400, "validation_error");
    await expectError(await sendRailEvent({ businessId: s.business.id, payoutId: long, status: "settled" }), 400, "validation_error");
    await expectError(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: long }), 400, "validation_error");
    for (const word of ["__proto__", "constructor", "toString"]) {
      const r = await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: word }));
      expect(r.applied).toBe(false);
    }
    expect((await payoutRow(id)).status).toBe("INITIATION_PENDING");
    expect(await businessBalance(s.business.id)).toBe(9_000);
  });

  it("a payout of another business (or none) is recorded and changes nothing", async () => {
    const a = await seedBusiness({ balance: 10_000n });
    const b = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: a.business.id });
    const r = await receipt(await sendRailEvent({ businessId: b.business.id, payoutId: id, status: "rejected" }));
    expect(r.applied).toBe(false);
    expect((await payoutRow(id)).status).toBe("INITIATION_PENDING");
    expect(await businessBalance(a.business.id)).toBe(9_000);
    expect(await businessBalance(b.business.id)).toBe(10_000);
  });

  it("is documented in the OpenAPI document without API key security", async () => {
    const doc = (await (await fetchDoc()).json()) as { paths: Record<string, { post?: { security?: unknown[]; operationId?: string } }> };
    const op = doc.paths["/webhooks/rails/{rail}"]?.post;
    expect(op?.operationId).toBe("receiveRailWebhook");
    expect(op?.security).toEqual([]);
  });
});

describe("status machine", () => {
  const events = Object.keys(word) as (keyof typeof word)[];
  for (const from of payoutStatuses) {
    for (const to of events) {
      const moves = canMove(from, to);
      it(`${from} + ${word[to]} event: ${moves ? "moves to " + to : "recorded and ignored"}`, async () => {
        const s = await seedBusiness({ balance: 10_000n });
        const id = await seedPayout({ businessId: s.business.id, status: from });
        const r = await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: word[to] }));
        expect(r.applied).toBe(moves);
        expect((await payoutRow(id)).status).toBe(moves ? to : from);
        expect(await history(id)).toEqual(moves ? [from, to] : [from]);
        expect(await eventsFor(id)).toBe(1);
        const givesBack = moves && (to === "INITIATION_REJECTED" || to === "INITIATION_FAILED");
        expect(await businessBalance(s.business.id)).toBe(givesBack ? 10_000 : 9_000);
      });
    }
  }

  it("an unknown rail status word is recorded and moves nothing", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    const r = await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "on_hold_at_bank" }));
    expect(r.applied).toBe(false);
    expect(await eventsFor(id)).toBe(1);
    expect((await payoutRow(id)).status).toBe("INITIATION_PENDING");
  });

  it("reordered: the final event before PROCESSING wins, the late PROCESSING is ignored", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id });
    expect((await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "settled" }))).applied).toBe(true);
    expect((await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing" }))).applied).toBe(false);
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_COMPLETED"]);
    expect(await eventsFor(id)).toBe(2);
  });

  it("a final status is never left: FAILED after REJECTED, COMPLETED after FAILED", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 2_500 });
    for (const st of ["processing", "rejected", "failed", "settled", "rejected"])
      await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: st }));
    expect(await history(id)).toEqual(["INITIATION_PENDING", "INITIATION_PROCESSING", "INITIATION_REJECTED"]);
    expect(await businessBalance(s.business.id)).toBe(10_000);
  });
});

describe("reversals exactly once", () => {
  it("a rejection gives the business balance back once, however often it (or a failure) is delivered", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 3_000 });
    expect(await businessBalance(s.business.id)).toBe(7_000);
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected", webhookId: "msg_rej_" + id }));
    expect(await businessBalance(s.business.id)).toBe(10_000);
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected", webhookId: "msg_rej_" + id }));
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected" }));
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "failed" }));
    expect(await businessBalance(s.business.id)).toBe(10_000);
  });

  it("50 concurrent deliveries (replays and distinct rejections/failures) reverse once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const id = await seedPayout({ businessId: s.business.id, amount: 4_000 });
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "processing" }));
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sendRailEvent({
          businessId: s.business.id,
          payoutId: id,
          status: i % 2 ? "rejected" : "failed",
          // Half are the same delivery repeated, half distinct events.
          webhookId: i < 25 ? `msg_same_${id}` : undefined,
        }).then(receipt),
      ),
    );
    expect(answers.filter((a) => a.applied)).toHaveLength(1);
    expect(answers.filter((a) => a.duplicate)).toHaveLength(24);
    expect(await businessBalance(s.business.id)).toBe(10_000);
    const h = await history(id);
    expect(h).toHaveLength(3);
    expect(["INITIATION_REJECTED", "INITIATION_FAILED"]).toContain(h[2]);
    expect(await eventsFor(id)).toBe(1 + 1 + 25);
  });

  it("the business's ledger sees a give-back at once: the returned funds can be allocated", async () => {
    const s = await seedBusiness({ balance: 5_000n });
    // The ledger loads its view of the balance (5,000) ...
    expect((await s.call("POST", "/api/v1/payout-users", { json: { email: "a@example.com", amount: 1_000 } })).status).toBe(201);
    const id = await seedPayout({ businessId: s.business.id, amount: 4_000 });
    await receipt(await sendRailEvent({ businessId: s.business.id, payoutId: id, status: "rejected" }));
    // ... and after the give-back the whole 4,000 is there again.
    const res = await s.call("POST", "/api/v1/payout-users", { json: { email: "b@example.com", amount: 4_000 } });
    expect(res.status).toBe(201);
    expect(await businessBalance(s.business.id)).toBe(0);
  });

  it("a payout from a payout user's balance goes back to that user, with a history row, once", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const created = (await (
      await s.call("POST", "/api/v1/payout-users", { json: { email: "payee@example.com", amount: 6_000 } })
    ).json()) as {
      data: { id: string };
    };
    const userId = created.data.id;
    const id = await seedPayout({ businessId: s.business.id, amount: 2_500, payoutUserId: userId });
    const balanceOf = async () => {
      const { rows } = await testDb().execute<{ b: string }>(sql`SELECT balance AS b FROM payout_users WHERE id = ${userId}`);
      return Number(rows[0]!.b);
    };
    expect(await balanceOf()).toBe(3_500);
    await Promise.all(
      Array.from({ length: 10 }, () => sendRailEvent({ businessId: s.business.id, payoutId: id, status: "failed" }).then(receipt)),
    );
    expect(await balanceOf()).toBe(6_000);
    expect(await businessBalance(s.business.id)).toBe(4_000);
    const { rows } = await testDb().execute<{ type: string; amount: string; balance_after: string; payout_id: string }>(
      sql`SELECT type, amount, balance_after, payout_id FROM payout_user_transactions WHERE payout_user_id = ${userId} AND type = 'payout_reversal'`,
    );
    expect(rows).toEqual([{ type: "payout_reversal", amount: "2500", balance_after: "6000", payout_id: id }]);
  });
});

const resign = (id: string, body: string) => signWebhook(localSandboxSecret, id, new Date(), body);
const fetchDoc = () => SELF.fetch("http://disburse.test/openapi.json");
