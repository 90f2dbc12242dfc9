// How a stored payout request is shown.
import { currencyExponent } from "../../lib/currencies";
import { fromMinorUnits } from "../../lib/decimal";
import { links } from "./links";
import type { PayoutRequestRow } from "./types";

/** The representation the API answers with; PUT it back unchanged and nothing changes. */
export function present(row: PayoutRequestRow) {
  const places = currencyExponent(row.currency) ?? 2;
  return {
    id: row.id,
    websiteId: row.websiteId,
    customerId: row.customerId,
    currency: row.currency,
    amount: fromMinorUnits(BigInt(row.amountMinor), places),
    availableAmount: fromMinorUnits(BigInt(row.availableMinor), places),
    status: row.status,
    description: row.description,
    batchId: row.batchId,
    paymentInstrumentId: row.paymentInstrumentId,
    selectPaymentInstrumentUrl: null,
    selectedPaymentInstrumentRedirectUrl: row.selectedPaymentInstrumentRedirectUrl,
    blocked: row.blocked,
    blockReason: row.blockReason === null ? null : { description: row.blockReason },
    cancellationReason: row.canceledBy === null ? null : { description: row.cancellationDescription, canceledBy: row.canceledBy },
    allocations: row.allocations.map((a) => ({
      transactionId: a.transactionId,
      amount: fromMinorUnits(BigInt(a.amountMinor), places),
      currency: a.currency,
      transactionResult: a.transactionResult,
      method: a.method,
      gatewayName: a.gatewayName,
      paymentInstrumentId: a.paymentInstrumentId,
      createdTime: a.createdTime,
      updatedTime: a.updatedTime,
    })),
    createdTime: row.createdTime,
    updatedTime: row.updatedTime,
    _links: links(row.id, row.paymentInstrumentId),
  };
}

export type PayoutRequest = ReturnType<typeof present>;

export const etagOf = (version: number) => `"${version}"`;
