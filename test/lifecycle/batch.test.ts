import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness } from "../harness";
import { books, sepaInitiation } from "../routes/payouts/helpers";

type Item = {
  index: number;
  success: boolean;
  status: number;
  payout?: { id: string; status: string };
  error?: { code: string; fields?: Record<string, string[]> };
};
type BatchBody = { data: Item[]; meta: { processed: number; succeeded: number; failed: number; limit: number } };

const batch = (
  s: { call: (m: string, p: string, i?: { json?: unknown; headers?: Record<string, string> }) => Promise<Response> },
  initiations: unknown[],
  headers?: Record<string, string>,
) => s.call("POST", "/api/v1/payouts/batch", { json: { initiations }, headers });

describe("POST /api/v1/payouts/batch", () => {
  it("answers each initiation on its own; one bad record never fails the others", async () => {
    const s = await seedBusiness({ balance: 5_000n });
    const dup = sepaInitiation();
    const res = await batch(s, [
      sepaInitiation(),
      { ...sepaInitiation(), creditor: { name: "X", iban: "DE00370400440532013000" } },
      sepaInitiation({ localInstrument: "ELIXIR" }),
      dup,
      { ...dup, amount: { value: "1.00", currency: "USD" } },
      sepaInitiation({ amount: { value: "100.00", currency: "USD" } }),
      "not an object",
      sepaInitiation({ amount: { value: "5.00", currency: "EUR" } }),
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchBody;
    expect(body.data.map((i) => [i.index, i.status, i.success ? "ok" : i.error!.code])).toEqual([
      [0, 200, "ok"],
      [1, 400, "validation_error"],
      [2, 501, "not_implemented"],
      [3, 200, "ok"],
      [4, 409, "duplicate_ref_id"],
      [5, 400, "insufficient_balance"],
      [6, 400, "validation_error"],
      [7, 400, "validation_error"],
    ]);
    expect(body.data[1]!.error!.fields).toHaveProperty(["creditor.iban"]);
    expect(body.data[0]!.payout!.status).toBe("INITIATION_PENDING");
    expect(body.meta).toEqual({ processed: 8, succeeded: 2, failed: 6, limit: 1000 });
    expect(await books(s.business.id)).toMatchObject({ balance: 3_000, held: 2_000, payouts: 2 });
  });

  it("an empty batch, one over 1,000, or a body without initiations is a 400 for the whole request", async () => {
    const s = await seedBusiness({ balance: 5_000n });
    await expectError(await batch(s, []), 400, "validation_error");
    await expectError(
      await batch(
        s,
        Array.from({ length: 1001 }, () => sepaInitiation()),
      ),
      400,
      "validation_error",
    );
    await expectError(await s.call("POST", "/api/v1/payouts/batch", { json: { records: [] } }), 400, "validation_error");
    expect((await books(s.business.id)).payouts).toBe(0);
  });

  it("needs a key with write:payouts", async () => {
    await expectError(await call("POST", "/api/v1/payouts/batch", { json: { initiations: [sepaInitiation()] } }), 401, "unauthorized");
    const s = await seedBusiness({ balance: 5_000n, scopes: ["read:payouts"] });
    await expectError(await batch(s, [sepaInitiation()]), 403, "insufficient_scope");
  });

  it("payouts disabled refuses every record, debiting nothing", async () => {
    const s = await seedBusiness({ balance: 5_000n, payoutsEnabled: false });
    const body = (await (await batch(s, [sepaInitiation(), sepaInitiation()])).json()) as BatchBody;
    expect(body.data.map((i) => i.error?.code)).toEqual(["payouts_disabled", "payouts_disabled"]);
    expect(await books(s.business.id)).toMatchObject({ balance: 5_000, payouts: 0 });
  });

  it("replays with the same Idempotency-Key without holding twice", async () => {
    const s = await seedBusiness({ balance: 5_000n });
    const initiations = [sepaInitiation(), sepaInitiation()];
    const first = await batch(s, initiations, { "Idempotency-Key": "batch-1" });
    const again = await batch(s, initiations, { "Idempotency-Key": "batch-1" });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await books(s.business.id)).toMatchObject({ balance: 3_000, payouts: 2 });
  });
});
