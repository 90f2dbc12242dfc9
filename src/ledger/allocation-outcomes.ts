import type { AllocationResult, StoredAllocation } from "../services/payout-users/allocations";
import type { AllocationOutcome, AllocationRequest } from "./types";

// An allocation's answer, and the rules that tell a retry of it (same Idempotency-Key) from a
// reuse of its key for another request.

export interface KnownUser {
  id: string;
  hash: string;
  digest: string;
}

export function toOutcome(r: AllocationResult, known: KnownUser): AllocationOutcome {
  return {
    ok: true,
    status: r.created ? 201 : 200,
    replayed: false,
    user: { ...r.user, hash: known.hash, balance: Number(r.user.balance) },
  };
}

export const replay = (o: AllocationOutcome): AllocationOutcome => (o.ok ? { ...o, replayed: true } : o);

// One rule with every other POST: a retry must carry the same fingerprint (method, path and
// canonical body). Rows from before fingerprints were kept fall back to email and amount.
export const sameRequest = (a: AllocationRequest, b: AllocationRequest) =>
  a.fingerprint !== undefined || b.fingerprint !== undefined
    ? a.fingerprint === b.fingerprint
    : a.email === b.email && a.amount === b.amount;

export const sameStored = (stored: StoredAllocation, request: AllocationRequest) =>
  stored.fingerprint !== null
    ? stored.fingerprint === request.fingerprint
    : stored.user.email === request.email && stored.amount === BigInt(request.amount);

export const reusedKey = (): AllocationOutcome => ({
  ok: false,
  code: "idempotency_key_reused",
  message: "This Idempotency-Key was used with another request body.",
});
