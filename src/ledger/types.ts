import type { ErrorCode } from "../http/errors";

/** What the Worker asks a BalanceLedger to allocate. `email` is already lower-cased. */
export interface AllocationRequest {
  email: string;
  amount: number;
  idempotencyKey?: string;
  /** With a key: the request's fingerprint (lib/fingerprint.ts), what a retry must match. */
  fingerprint?: string;
}

/** A payout user as it stood after the allocation; amounts are cents, as numbers over RPC. */
export interface LedgerUser {
  id: string;
  email: string;
  hash: string;
  balance: number;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

export type AllocationOutcome =
  | { ok: true; status: 200 | 201; user: LedgerUser; replayed: boolean }
  | { ok: false; code: ErrorCode; message: string };

export type FundOutcome = { ok: true; balance: number; currency: string } | { ok: false; code: ErrorCode; message: string };
