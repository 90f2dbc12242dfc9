// The fuzzing harness's generator (test/harness/inputs.ts) on its own: its cases are reproducible
// from the seed and every body it builds can be sent. Its hostile objects are constants shared by
// every case; a second mutation once wrote into the one the first had put in the body, which made
// some seeds' bodies circular (JSON.stringify threw) and changed the cases generated after.
import { describe, expect, it } from "vitest";
import { badInputs, type ValidRequest } from "../harness/inputs";
import type { Operation } from "../harness/openapi";

const op: Operation = {
  key: "POST /api/v1/payouts",
  method: "POST",
  path: "/api/v1/payouts",
  pathParams: [],
  query: [],
  headers: [],
  body: { type: "object" },
  bodyRequired: true,
  statuses: [200, 400],
  security: ["bearerAuth"],
  isWrite: true,
};

const valid: ValidRequest = {
  params: {},
  query: [],
  headers: { Authorization: "Bearer dsb_sk_x", "Content-Type": "application/json" },
  body: {
    initiation: {
      refId: "ref-1",
      amount: { value: "10.00", currency: "EUR" },
      creditor: { name: "A", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
      localInstrument: "SEPA",
    },
  },
};

describe("fuzz inputs", () => {
  it("builds a sendable body for every case, and the same cases again from the same seed", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const first = badInputs(op, valid, seed, 20, () => op.path);
      for (const c of first) expect(c.body === undefined || typeof c.body === "string" || c.body instanceof Uint8Array).toBe(true);
      // Had generating the first set changed a shared value, the second would differ.
      expect(badInputs(op, valid, seed, 20, () => op.path)).toEqual(first);
    }
  });
});
