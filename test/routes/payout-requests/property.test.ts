// Property: whatever sequence of PUTs arrives (creates, edits, allocations added, changed and
// removed, blocks, cancels, stale and fresh If-Match), the API gives the answer a small model
// of the rules predicts, and every stored request ends equal to the model's.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Seeded, seedBusiness } from "../../harness";
import { getOk, type PayoutRequestJson, put } from "./helpers";

type Result = "declined" | "approved" | "abandoned" | "unknown" | "canceled";
interface Alloc {
  transactionId: string;
  cents: number;
  transactionResult: Result;
}
interface Op {
  target: number;
  amountCents: number;
  currency: string;
  instrument: string | null;
  blocked: boolean;
  cancel: boolean;
  description: string | null;
  allocations: Alloc[];
  ifMatch: "none" | "current" | "stale" | "star";
}
interface ModelRequest {
  version: number;
  op: Op;
  status: string;
}

const alloc = fc.record({
  transactionId: fc.constantFrom("t0", "t1", "t2", "t3"),
  cents: fc.constantFrom(250, 500, 1000),
  transactionResult: fc.constantFrom<Result>("declined", "approved", "abandoned", "unknown", "canceled"),
});

const op: fc.Arbitrary<Op> = fc.record({
  target: fc.nat(1),
  amountCents: fc.constantFrom(1000, 1500),
  currency: fc.constantFrom("USD", "USD", "USD", "EUR"),
  instrument: fc.constantFrom(null, "inst_1"),
  blocked: fc.constantFrom(false, false, false, true),
  cancel: fc.constantFrom(false, false, false, true),
  description: fc.constantFrom(null, "a", "b"),
  allocations: fc.uniqueArray(alloc, { maxLength: 3, selector: (a) => a.transactionId }),
  ifMatch: fc.constantFrom("none", "none", "current", "stale", "star"),
});

const ids = ["p0", "p1"];

function body(o: Op) {
  return {
    websiteId: "web",
    customerId: "cus",
    currency: o.currency,
    amount: o.amountCents / 100,
    description: o.description,
    paymentInstrumentId: o.instrument,
    blocked: o.blocked,
    blockReason: o.blocked ? { description: "review" } : null,
    ...(o.cancel ? { status: "canceled", cancellationReason: { description: "stop", canceledBy: "merchant" } } : {}),
    allocations: o.allocations.map((a) => ({
      transactionId: a.transactionId,
      amount: a.cents / 100,
      transactionResult: a.transactionResult,
    })),
  };
}

const sum = (allocs: Alloc[], results: Result[]) =>
  allocs.filter((a) => results.includes(a.transactionResult)).reduce((s, a) => s + a.cents, 0);
const same = (a: Alloc, b: Alloc) =>
  a.transactionId === b.transactionId && a.cents === b.cents && a.transactionResult === b.transactionResult;

function derived(o: Op): string {
  const approved = sum(o.allocations, ["approved"]);
  if (approved === o.amountCents) return "fulfilled";
  if (approved > 0) return "partially-fulfilled";
  return o.instrument ? "instrument-selected" : "pending";
}

/** The content a PUT sets, to tell a change from a repeat (the model's version of "changed"). */
function content(o: Op) {
  return JSON.stringify({ ...body(o), currency: o.currency, allocations: o.allocations, status: o.cancel ? "canceled" : derived(o) });
}

/** What the API must answer, and the model's state after it. */
function expected(stored: ModelRequest | undefined, o: Op): { status: number; code?: string; next?: ModelRequest } {
  const status = o.cancel ? "canceled" : derived(o);
  if (sum(o.allocations, ["approved", "unknown"]) > o.amountCents) return { status: 400, code: "allocation_exceeds_amount" };
  if (o.cancel && derived(o) === "fulfilled") return { status: 409, code: "invalid_status_transition" };
  if (o.ifMatch !== "none" && (!stored || o.ifMatch === "stale")) return { status: 412, code: "precondition_failed" };
  if (stored) {
    const changed = content(stored.op) !== content(o);
    const old = stored.op;
    if (stored.status === "canceled" && changed) return { status: 409, code: "invalid_status_transition" };
    if (old.allocations.length && (old.amountCents !== o.amountCents || old.currency !== o.currency))
      return { status: 409, code: "conflict" };
    if (old.allocations.some((a) => a.transactionResult === "approved" && !o.allocations.some((n) => same(a, n))))
      return { status: 409, code: "conflict" };
    if (o.blocked && o.allocations.some((n) => !old.allocations.some((a) => a.transactionId === n.transactionId)))
      return { status: 409, code: "payout_request_blocked" };
    if (o.blocked && status === "fulfilled" && stored.status !== "fulfilled") return { status: 409, code: "payout_request_blocked" };
    return { status: 200, next: changed ? { version: stored.version + 1, op: o, status } : stored };
  }
  if (o.blocked && o.allocations.length) return { status: 409, code: "payout_request_blocked" };
  if (o.blocked && status === "fulfilled") return { status: 409, code: "payout_request_blocked" };
  return { status: 201, next: { version: 1, op: o, status } };
}

async function run(s: Seeded, ops: Op[]) {
  const model = new Map<string, ModelRequest>();
  for (const [step, o] of ops.entries()) {
    const id = ids[o.target]!;
    const stored = model.get(id);
    const headers: Record<string, string> =
      o.ifMatch === "none"
        ? {}
        : o.ifMatch === "star"
          ? { "If-Match": "*" }
          : { "If-Match": `"${o.ifMatch === "current" ? (stored?.version ?? 1) : (stored?.version ?? 0) + 7}"` };
    const want = expected(stored, o);
    const res = await put(s, id, body(o), headers);
    const got = (await res.json()) as PayoutRequestJson & { error?: { code: string } };
    const context = `step ${step}: ${JSON.stringify(o)} -> ${JSON.stringify(got)}`;
    expect(res.status, context).toBe(want.status);
    if (want.code) expect(got.error?.code, context).toBe(want.code);
    if (want.next) {
      model.set(id, want.next);
      expect(res.headers.get("ETag"), context).toBe(`"${want.next.version}"`);
    }
  }
  for (const id of ids) {
    const m = model.get(id);
    const res = await s.call("GET", `/api/v1/payout-requests/${id}`);
    if (!m) {
      expect(res.status).toBe(404);
      await res.arrayBuffer();
      continue;
    }
    const { data, etag } = await getOk(s, id);
    expect(etag).toBe(`"${m.version}"`);
    expect(data).toMatchObject({
      currency: m.op.currency,
      amount: m.op.amountCents / 100,
      availableAmount: (m.op.amountCents - sum(m.op.allocations, ["approved", "unknown"])) / 100,
      status: m.status,
      description: m.op.description,
      paymentInstrumentId: m.op.instrument,
      blocked: m.op.blocked,
    });
    expect(
      data.allocations.map((a) => ({
        transactionId: a.transactionId,
        cents: Math.round(a.amount * 100),
        transactionResult: a.transactionResult,
      })),
    ).toEqual(m.op.allocations);
  }
}

describe("payout request PUT sequences against a model", () => {
  it("agree on every answer and every final state", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        await run(await seedBusiness(), ops);
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
