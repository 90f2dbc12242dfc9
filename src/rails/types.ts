import type { PayoutStatus } from "../../schema/payouts";

/** What Disburse tells a rail about one payout. Amounts are minor units. */
export interface RailSubmission {
  /** Our payout id: the rail's idempotency key, so a payout is never paid twice. */
  payoutId: string;
  businessId: string;
  refId: string;
  amount: number;
  currency: string;
  localInstrument: string;
  creditor: Record<string, unknown>;
  remittanceInformationPrimary?: string;
}

/**
 * How a submission went. `unavailable` is the page's 503/504: the rail did not answer (or not in
 * time), so the submission is retried with the same idempotency key; `refused` is a rail that
 * answered with a permanent no (the payout fails and its hold is given back).
 */
export type SubmitResult =
  | { kind: "accepted"; railPaymentId: string }
  | { kind: "refused"; reason: string }
  | { kind: "unavailable"; status: 503 | 504; reason: string };

/** One status event from a rail, already read from its own vocabulary into ours. */
export interface RailEvent {
  payoutId: string;
  /** Echoed from the submission's metadata; the ledger that settles the payout is this business's. */
  businessId: string;
  /** The rail's own status word, kept on the event record. */
  railStatus: string;
  /** Ours, or undefined for a rail status that moves nothing. */
  status: PayoutStatus | undefined;
  reason: string | null;
}

export interface PayoutRail {
  readonly name: string;
  /** Instruments this rail can pay through (a payout asking for another is a 501). */
  readonly instruments: readonly string[];
  submit(submission: RailSubmission, signal: AbortSignal): Promise<SubmitResult>;
  /** Reads a verified webhook body; undefined when it is not an event this rail sends. */
  parseEvent(body: unknown): RailEvent | undefined;
}
