// The payout request as a value: what a PUT body carries, what it asks for once checked, and a
// stored row as the service reads it.
import type { canceledByValues, payoutRequestStatuses } from "../../../schema/payout-requests";
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

/** The fields a PUT sets that the stored row holds as they are (in Desired and PayoutRequestRow). */
interface PayoutRequestFields {
  id: string;
  websiteId: string;
  customerId: string;
  currency: string;
  status: PayoutRequestStatus;
  description: string | null;
  batchId: string | null;
  paymentInstrumentId: string | null;
  selectedPaymentInstrumentRedirectUrl: string | null;
  blocked: boolean;
  blockReason: string | null;
  cancellationDescription: string | null;
  canceledBy: CanceledBy | null;
}

/** Everything a PUT sets, derived fields included; the database adds times and the version. */
export interface Desired extends PayoutRequestFields {
  amountMinor: bigint;
  availableMinor: bigint;
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

/** A stored row as the service reads it (times already ISO 8601 strings). */
export interface PayoutRequestRow extends PayoutRequestFields {
  seq: string;
  version: number;
  amountMinor: string;
  availableMinor: string;
  allocations: (StoredAllocation & { createdTime: string; updatedTime: string })[];
  createdTime: string;
  updatedTime: string;
}
