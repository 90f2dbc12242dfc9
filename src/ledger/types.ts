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

/**
 * One payout the Worker asks a BalanceLedger to hold funds for, already validated: the amount in
 * minor units of `currency`, `initiation` the body's `initiation` object as it will be echoed.
 */
export interface PayoutInitiationRequest {
  refId: string;
  amount: number;
  currency: string;
  localInstrument: string;
  creditor: Record<string, unknown>;
  initiation: Record<string, unknown>;
  onBehalfOfId: string | null;
  payeeId: string | null;
  /** Source of funds: null is the business payout balance. */
  payoutUserId: string | null;
  rail: string;
}

/** A payout as written; amounts are minor units, as numbers over RPC. */
export interface LedgerPayout {
  id: string;
  refId: string;
  status: string;
  statusReasonInformation: string | null;
  amount: number;
  currency: string;
  initiation: Record<string, unknown>;
  payoutUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type PayoutOutcome =
  | { ok: true; payout: LedgerPayout }
  | { ok: false; code: ErrorCode; message: string; fields?: Record<string, string[]> };
