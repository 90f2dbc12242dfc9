import type { AccountIdentifier, Chart } from "./accounts";
import type { LineInput } from "./journal";

/** A payout as the route validated it (zod output of PayoutInputSchema). */
export interface PayoutIn {
  external_id: string;
  paid_out_amount: number;
  fee: number;
  completed_at: string;
  payments: PaymentIn[];
  additional_refunds_amount: number;
  processor?: string | null;
  payment_clearing_account_identifier?: AccountIdentifier | null;
  refunds: RefundIn[];
  other_transactions: { amount: number; account: AccountIdentifier; description?: string | null; external_id?: string | null }[];
  tags: { key: string; value: string; dimension_display_name?: string | null; value_display_name?: string | null }[];
  memo?: string | null;
  metadata?: Record<string, unknown> | null;
  reference_number?: string | null;
}
interface RecordFields {
  memo?: string | null;
  metadata?: Record<string, unknown> | null;
  reference_number?: string | null;
}
export interface PaymentIn extends RecordFields {
  invoice_payment_id?: string;
  invoice_payment_external_id?: string;
  amount?: number;
  fee?: number;
  completed_at?: string;
  method?: string;
  processor?: string;
  invoice_external_id?: string;
}
export interface RefundIn extends RecordFields {
  refund_payment_id?: string;
  refund_payment_external_id?: string;
  refund_id?: string;
  refund_external_id?: string;
  refunded_amount?: number;
  fee?: number;
  completed_at?: string;
  method?: string;
  processor?: string;
}

export interface StoredPayment {
  id: string;
  external_id: string | null;
  processor: string | null;
  amount: bigint;
  clearing_account_id: string;
}
export interface StoredRefund {
  id: string;
  external_id: string | null;
  refund_payment_id: string;
  refund_payment_external_id: string | null;
  processor: string | null;
  refunded_amount: bigint;
  account_id: string;
}

/** Everything the writes need, resolved against the database by one read. */
export interface Resolved {
  chart: Chart;
  paymentsById: Map<string, StoredPayment>;
  paymentsByExt: Map<string, StoredPayment>;
  refunds: StoredRefund[];
}

/** What one payout writes: its row, new payments and refunds, links, and journal lines. */
export interface PayoutPlan {
  payout: Record<string, unknown>;
  newPayments: Record<string, unknown>[];
  paymentLinks: Record<string, unknown>[];
  newRefunds: Record<string, unknown>[];
  refundLinks: Record<string, unknown>[];
  lines: Record<string, unknown>[];
  /** Rows this payout adds to a chunk, for sizing chunks. */
  weight: number;
}

/** What planning one payout's payments and refunds shares with planPayout (bulk-plan.ts). */
export interface PlanContext {
  p: PayoutIn;
  /** The payout's path in the request ("3"), the start of every error path. */
  at: string;
  r: Resolved;
  /** The payout's processor; null when it names none. */
  processor: string | null;
  /** The payout's journal lines; planning appends to them. */
  journal: LineInput[];
  /** Records a problem by path and marks the payout as failed. */
  err: (path: string, message: string) => void;
  /** Whether a processor disagrees with the payout's (never when the payout names none). */
  disagrees: (other: string | null) => boolean;
}
