// What a PUT body asks for, checked and derived without the database (every rule that the body
// alone decides).
import { currencyExponent } from "../../lib/currencies";
import { fromMinorUnits, maxMinorUnits, toMinorUnits } from "../../lib/decimal";
import { selfHref } from "./links";
import type { Claims, PayoutRequestStatus, PutBody, StoredAllocation, TransactionResult, Verdict } from "./types";

/**
 * The status the data implies: approved allocations decide between fulfilled and partially
 * fulfilled; before anything is approved, a chosen instrument makes it instrument-selected.
 */
export function deriveStatus(
  amountMinor: bigint,
  allocations: StoredAllocation[],
  paymentInstrumentId: string | null,
): PayoutRequestStatus {
  const approved = sumOf(allocations, ["approved"]);
  if (approved === amountMinor) return "fulfilled";
  if (approved > 0n) return "partially-fulfilled";
  return paymentInstrumentId !== null ? "instrument-selected" : "pending";
}

function sumOf(allocations: StoredAllocation[], results: TransactionResult[]): bigint {
  return allocations.reduce((sum, a) => (results.includes(a.transactionResult) ? sum + BigInt(a.amountMinor) : sum), 0n);
}

/** ISO 8601 as the API prints it (milliseconds, Z), or undefined for a string that is not a date. */
function canonicalTime(text: string): string | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Checks a PUT body against every rule it decides alone and computes the representation it
 * asks for. Rules that need the stored request (If-Match, approved allocations, canceled is
 * final, blocked, amount locked, server-owned values) are the statement's.
 */
export function desiredFromBody(id: string, body: PutBody): Verdict {
  const fields: Record<string, string[]> = {};
  const fail = (field: string, message: string) => {
    fields[field] = [...(fields[field] ?? []), message];
  };

  if (body.id != null && body.id !== id) fail("id", `Set by the server from the path ("${id}"); it cannot differ.`);
  const places = currencyExponent(body.currency);
  if (places === undefined) fail("currency", "Must be an ISO 4217 currency code, like USD");

  const amount = (value: number, field: string): bigint | undefined => {
    if (places === undefined) return undefined;
    const units = toMinorUnits(value, places);
    if (units === undefined) fail(field, `Must have at most ${places} decimal places for ${body.currency}`);
    else if (units <= 0n) fail(field, "Must be greater than 0");
    else if (units > maxMinorUnits) fail(field, `Must be at most ${fromMinorUnits(maxMinorUnits, places)} (15 digits)`);
    else return units;
    return undefined;
  };
  const amountMinor = amount(body.amount, "amount");

  const blocked = body.blocked ?? false;
  if (blocked && body.blockReason == null) fail("blockReason", "Required when blocked is true");
  if (!blocked && body.blockReason != null) fail("blockReason", "Only allowed together with blocked: true");

  const canceling = body.status === "canceled";
  if (canceling && body.cancellationReason == null) fail("cancellationReason", "Required to cancel a payout request");
  if (!canceling && body.cancellationReason != null) fail("cancellationReason", 'Only allowed together with status "canceled"');

  if (body.selectPaymentInstrumentUrl != null) {
    fail("selectPaymentInstrumentUrl", "Set by the server (Disburse hosts no instrument-selection page, so it is null)");
  }

  const seen = new Map<string, number>();
  const allocations: StoredAllocation[] = [];
  const claims: Claims = { allocations: [] };
  (body.allocations ?? []).forEach((a, i) => {
    const path = `allocations.${i}`;
    const earlier = seen.get(a.transactionId);
    if (earlier !== undefined)
      fail(`${path}.transactionId`, `Already used by allocations.${earlier}; transactionId is unique within a payout request`);
    else seen.set(a.transactionId, i);
    if (a.currency != null && a.currency !== body.currency) {
      fail(`${path}.currency`, `Must be the payout request's currency (${body.currency})`);
    }
    const units = amount(a.amount, `${path}.amount`);
    if (units !== undefined) {
      allocations.push({
        transactionId: a.transactionId,
        amountMinor: Number(units),
        currency: body.currency,
        transactionResult: a.transactionResult,
        method: a.method ?? null,
        gatewayName: a.gatewayName ?? null,
        paymentInstrumentId: a.paymentInstrumentId ?? null,
      });
    }
    const claim: Claims["allocations"][number] = { index: i, transactionId: a.transactionId };
    for (const field of ["createdTime", "updatedTime"] as const) {
      const value = a[field];
      if (value == null) continue;
      const time = canonicalTime(value);
      if (time === undefined) fail(`${path}.${field}`, "Must be an ISO 8601 date-time");
      else claim[field] = time;
    }
    if (claim.createdTime !== undefined || claim.updatedTime !== undefined) claims.allocations.push(claim);
  });

  for (const field of ["createdTime", "updatedTime"] as const) {
    const value = body[field];
    if (value == null) continue;
    const time = canonicalTime(value);
    if (time === undefined) fail(field, "Must be an ISO 8601 date-time");
    else claims[field] = time;
  }

  const paymentInstrumentId = body.paymentInstrumentId ?? null;
  if (body._links != null) {
    const self = body._links.filter((l) => l.rel === "self");
    const instrument = body._links.filter((l) => l.rel === "paymentInstrument");
    const instrumentId = instrument[0] ? /^\/api\/v1\/payment-instruments\/([^/]+)$/.exec(instrument[0].href)?.[1] : undefined;
    if (
      self.length !== 1 ||
      self[0]!.href !== selfHref(id) ||
      instrument.length > 1 ||
      (instrument.length === 1 && instrumentId === undefined)
    ) {
      fail("_links", "Set by the server; send them back unchanged or leave them out");
    } else {
      const linked = instrumentId === undefined ? null : decodeURIComponent(instrumentId);
      if (linked !== paymentInstrumentId) claims.linksInstrument = { id: linked };
    }
  }

  if (Object.keys(fields).length || amountMinor === undefined || places === undefined) {
    return { ok: false, kind: "fields", fields };
  }

  const committed = sumOf(allocations, ["approved", "unknown"]);
  if (committed > amountMinor) {
    return {
      ok: false,
      kind: "exceeds",
      approvedAndUnknown: fromMinorUnits(committed, places),
      amount: fromMinorUnits(amountMinor, places),
    };
  }
  const derived = deriveStatus(amountMinor, allocations, paymentInstrumentId);
  if (canceling && derived === "fulfilled") return { ok: false, kind: "fulfilled_cancel" };
  const status: PayoutRequestStatus = canceling ? "canceled" : derived;
  const availableMinor = amountMinor - committed;

  if (body.status != null && body.status !== status) claims.status = body.status;
  if (body.availableAmount != null) {
    const claimed = toMinorUnits(body.availableAmount, places);
    if (claimed === undefined)
      return { ok: false, kind: "fields", fields: { availableAmount: [`Set by the server; it has at most ${places} decimal places`] } };
    if (claimed !== availableMinor) claims.availableMinor = claimed.toString();
  }

  return {
    ok: true,
    claims,
    desired: {
      id,
      websiteId: body.websiteId,
      customerId: body.customerId,
      currency: body.currency,
      amountMinor,
      availableMinor,
      status,
      description: body.description ?? null,
      batchId: body.batchId ?? null,
      paymentInstrumentId,
      selectedPaymentInstrumentRedirectUrl: body.selectedPaymentInstrumentRedirectUrl ?? null,
      blocked,
      blockReason: blocked ? body.blockReason!.description : null,
      cancellationDescription: canceling ? (body.cancellationReason!.description ?? null) : null,
      canceledBy: canceling ? (body.cancellationReason!.canceledBy ?? "customer") : null,
      allocations,
    },
  };
}
