import type { PayoutInitiationRequest } from "../../ledger/types";
import { railFor, supportsInstrument } from "../../rails/capabilities";
import { toMinor } from "./money";

/** A validated `initiation` body (src/routes/payouts/schemas.ts), as plain data. */
export interface InitiationBody {
  refId: string;
  amount: { value: string; currency: string };
  localInstrument: string;
  creditor: Record<string, unknown>;
  onBehalfOfId?: string;
  payeeId?: string;
  payoutUserId?: string;
  [field: string]: unknown;
}

/**
 * What the BalanceLedger is asked to hold for one validated initiation, or the 501 when the rail
 * it would go to cannot pay with its instrument. Shared by POST /payouts and POST /payouts/batch.
 */
export function prepareInitiation(
  initiation: InitiationBody,
): { ok: true; request: PayoutInitiationRequest } | { ok: false; code: "not_implemented"; message: string } {
  const rail = railFor(initiation.localInstrument);
  if (!supportsInstrument(rail, initiation.localInstrument)) {
    return { ok: false, code: "not_implemented", message: `The payout rail does not support ${initiation.localInstrument} yet.` };
  }
  return {
    ok: true,
    request: {
      refId: initiation.refId,
      // The schema has checked the places and the size, so this is exact and a safe integer.
      amount: Number(toMinor(initiation.amount.value, initiation.amount.currency)!),
      currency: initiation.amount.currency,
      localInstrument: initiation.localInstrument,
      creditor: initiation.creditor,
      initiation,
      onBehalfOfId: initiation.onBehalfOfId ?? null,
      payeeId: initiation.payeeId ?? null,
      payoutUserId: initiation.payoutUserId ?? null,
      rail,
    },
  };
}
