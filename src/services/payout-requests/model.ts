// The payout request as a value: what a PUT body asks for, checked and derived without the
// database (every rule that the body alone decides), and how a stored row is shown.
import type { canceledByValues, payoutRequestStatuses } from "../../../schema/payout-requests";
import { currencyExponent } from "../../lib/currencies";
import { fromMinorUnits, maxMinorUnits, toMinorUnits } from "../../lib/decimal";
import type { allocationMethods, gatewayNames, transactionResults } from "./vocabulary";

export type PayoutRequestStatus = (typeof payoutRequestStatuses)[number];
export type CanceledBy = (typeof canceledByValues)[number];
export type TransactionResult = (typeof transactionResults)[number];
export type AllocationMethod = (typeof allocationMethods)[number];
export type GatewayName = (typeof gatewayNames)[number];

/** An allocation as a validated PUT body carries it (server-owned times optional). */
export interface AllocationBody {
  transactionId: string;
  amount: number;
  currency?: string | null;
  transactionResult: TransactionResult;
  method?: AllocationMethod | null;
  gatewayName?: GatewayName | null;
  paymentInstrumentId?: string | null;
  createdTime?: string | null;
  updatedTime?: string | null;
}

/** A validated PUT body (shape and enums checked by the route schema). */
export interface PutBody {
  id?: string | null;
  websiteId: string;
  customerId: string;
  currency: string;
  amount: number;
  description?: string | null;
  batchId?: string | null;
  paymentInstrumentId?: string | null;
  selectedPaymentInstrumentRedirectUrl?: string | null;
  blocked?: boolean | null;
  blockReason?: { description: string } | null;
  status?: PayoutRequestStatus | null;
  cancellationReason?: { description?: string | null; canceledBy?: CanceledBy | null } | null;
  allocations?: AllocationBody[] | null;
  // Server-owned: accepted when they equal the server's value.
  availableAmount?: number | null;
  createdTime?: string | null;
  updatedTime?: string | null;
  selectPaymentInstrumentUrl?: string | null;
  _links?: { rel: string; href: string }[] | null;
}

/** An allocation as stored in the row's JSON array (amount in minor units), without its times. */
export interface StoredAllocation {
  transactionId: string;
  amountMinor: number;
  currency: string;
  transactionResult: TransactionResult;
  method: AllocationMethod | null;
  gatewayName: GatewayName | null;
  paymentInstrumentId: string | null;
}

/** Everything a PUT sets, derived fields included; the database adds times and the version. */
export interface Desired {
  id: string;
  websiteId: string;
  customerId: string;
  currency: string;
  amountMinor: bigint;
  availableMinor: bigint;
  status: PayoutRequestStatus;
  description: string | null;
  batchId: string | null;
  paymentInstrumentId: string | null;
  selectedPaymentInstrumentRedirectUrl: string | null;
  blocked: boolean;
  blockReason: string | null;
  cancellationDescription: string | null;
  canceledBy: CanceledBy | null;
  allocations: StoredAllocation[];
}

/**
 * Server-owned values the body sent that match nothing the body itself determines; the
 * statement compares them with the stored request and refuses the PUT (400) when they differ.
 */
export interface Claims {
  status?: string;
  availableMinor?: string;
  /** The paymentInstrumentId that the sent `_links` point at (null: no such link). */
  linksInstrument?: { id: string | null };
  createdTime?: string;
  updatedTime?: string;
  allocations: { index: number; transactionId: string; createdTime?: string; updatedTime?: string }[];
}

export type Verdict =
  | { ok: true; desired: Desired; claims: Claims }
  | { ok: false; kind: "fields"; fields: Record<string, string[]> }
  | { ok: false; kind: "exceeds"; approvedAndUnknown: number; amount: number }
  | { ok: false; kind: "fulfilled_cancel" };

export const selfHref = (id: string) => `/api/v1/payout-requests/${id}`;
export const instrumentHref = (instrumentId: string) => `/api/v1/payment-instruments/${encodeURIComponent(instrumentId)}`;

export function links(id: string, paymentInstrumentId: string | null): { rel: "self" | "paymentInstrument"; href: string }[] {
  const out: { rel: "self" | "paymentInstrument"; href: string }[] = [{ rel: "self", href: selfHref(id) }];
  if (paymentInstrumentId !== null) out.push({ rel: "paymentInstrument", href: instrumentHref(paymentInstrumentId) });
  return out;
}

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

/** A stored row as the service reads it (times already ISO 8601 strings). */
export interface PayoutRequestRow {
  id: string;
  seq: string;
  version: number;
  websiteId: string;
  customerId: string;
  currency: string;
  amountMinor: string;
  availableMinor: string;
  status: PayoutRequestStatus;
  description: string | null;
  batchId: string | null;
  paymentInstrumentId: string | null;
  selectedPaymentInstrumentRedirectUrl: string | null;
  blocked: boolean;
  blockReason: string | null;
  cancellationDescription: string | null;
  canceledBy: CanceledBy | null;
  allocations: (StoredAllocation & { createdTime: string; updatedTime: string })[];
  createdTime: string;
  updatedTime: string;
}

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
