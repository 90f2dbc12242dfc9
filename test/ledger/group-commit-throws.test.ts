// A group commit answers every database failure itself; this is the net under it: an exception
// in between (a bug) still answers every request of the group, and the ledger goes on committing.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import type { BalanceLedger } from "../../src/ledger/balance-ledger";
import type { LedgerView } from "../../src/ledger/group-commit";
import { answeredWithin, seedBusiness } from "../harness";
import { books } from "../routes/payouts/helpers";

describe("a group commit that throws", () => {
  it("answers its requests 503 instead of leaving them waiting, and the next group commits", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const allocate = (email: string) => s.call("POST", "/api/v1/payout-users", { json: { email, amount: 1_000 } });
    expect((await allocate("first@example.com")).status).toBe(201);

    const ns = (env as unknown as Env).BALANCE_LEDGER!;
    const stub = ns.get(ns.idFromName(s.business.id));
    const input = await runInDurableObject(stub, (ledger: BalanceLedger) => (ledger as unknown as { view: LedgerView }).view.users.input);
    await runInDurableObject(stub, (ledger: BalanceLedger) => {
      (ledger as unknown as { view: LedgerView }).view.users.input = () => Promise.reject(new Error("a bug in the ledger"));
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await answeredWithin(allocate("second@example.com"), 10_000);
      expect(res, "the request was still waiting 10 s after the group threw").not.toBe("still waiting");
      expect((res as Response).status).toBe(503);
      expect(((await (res as Response).json()) as { error: { code: string } }).error.code).toBe("service_unavailable");
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("ledger: a group commit threw"));
    } finally {
      errors.mockRestore();
      await runInDurableObject(stub, (ledger: BalanceLedger) => {
        (ledger as unknown as { view: LedgerView }).view.users.input = input;
      });
    }

    expect((await allocate("third@example.com")).status).toBe(201);
    // Nothing of the refused allocation was written: 10,000 funded, two allocations of 1,000 made.
    expect(await books(s.business.id)).toMatchObject({ balance: 8_000, users: 2_000 });
  });
});
