import type { holdStatuses, payeeStatuses, payeeTypes } from "../../../schema/payees";

/** A payee as the API shows it; every query selects exactly these columns. */
export interface PayeeRow {
  id: string;
  external_id: string | null;
  name: string;
  type: (typeof payeeTypes)[number];
  status: (typeof payeeStatuses)[number];
  contact_email: string | null;
  hold_status: (typeof holdStatuses)[number];
  hold_reason: string | null;
  default_fallback_percent: string | null;
  minimum_payout_threshold: string | null;
  created_at: string;
  updated_at: string;
}

/** Writable fields, already validated; a key that is present (even as null) is written. */
export type PayeePatch = Partial<Omit<PayeeRow, "id" | "created_at" | "updated_at">>;

/** What happened to one record of a write. */
export type WriteOutcome =
  | { index: number; kind: "created" | "updated"; payee: PayeeRow }
  | { index: number; kind: "conflict" | "missing" | "incomplete" };

export type ResultRow = Record<string, unknown> & { idx: number; outcome: string | null };
