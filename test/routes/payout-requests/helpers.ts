// Shared setup for the payout request route tests.
import { expect } from "vitest";
import type { Seeded } from "../../harness";

export interface AllocationJson {
  transactionId: string;
  amount: number;
  currency: string;
  transactionResult: string;
  method: string | null;
  gatewayName: string | null;
  paymentInstrumentId: string | null;
  createdTime: string;
  updatedTime: string;
}

export interface PayoutRequestJson {
  id: string;
  websiteId: string;
  customerId: string;
  currency: string;
  amount: number;
  availableAmount: number;
  status: string;
  description: string | null;
  batchId: string | null;
  paymentInstrumentId: string | null;
  selectPaymentInstrumentUrl: string | null;
  selectedPaymentInstrumentRedirectUrl: string | null;
  blocked: boolean;
  blockReason: { description: string } | null;
  cancellationReason: { description: string | null; canceledBy: string } | null;
  allocations: AllocationJson[];
  createdTime: string;
  updatedTime: string;
  _links: { rel: string; href: string }[];
}

let counter = 0;
export function uniqueId(prefix = "pr"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export const path = (id: string) => `/api/v1/payout-requests/${id}`;

/** The smallest valid body. */
export function newRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { websiteId: "web_main", customerId: "cus_1", currency: "USD", amount: 100, ...overrides };
}

export function allocation(transactionId: string, amount: number, transactionResult: string, extra: Record<string, unknown> = {}) {
  return { transactionId, amount, transactionResult, ...extra };
}

export async function put(s: Seeded, id: string, body: unknown, headers: Record<string, string> = {}) {
  return s.call("PUT", path(id), { json: body, headers });
}

/** PUTs and expects success (200 or 201); returns the representation and its ETag. */
export async function putOk(s: Seeded, id: string, body: unknown, expected?: 200 | 201, headers: Record<string, string> = {}) {
  const res = await put(s, id, body, headers);
  const text = await res.clone().text();
  if (expected) expect(res.status, text).toBe(expected);
  else expect([200, 201], text).toContain(res.status);
  return { res, data: (await res.json()) as PayoutRequestJson, etag: res.headers.get("ETag")! };
}

export async function getOk(s: Seeded, id: string) {
  const res = await s.call("GET", path(id));
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, data: (await res.json()) as PayoutRequestJson, etag: res.headers.get("ETag")! };
}

/** One authenticated request so later requests pay no auth round trip. */
export async function warmAuth(s: Seeded): Promise<void> {
  const res = await s.call("GET", "/api/v1/payout-requests?limit=1");
  expect(res.status).toBe(200);
}
