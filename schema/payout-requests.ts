import { sql } from "drizzle-orm";
import { bigint, boolean, char, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

export const payoutRequestStatuses = ["fulfilled", "partially-fulfilled", "pending", "canceled", "instrument-selected"] as const;
export const canceledByValues = ["merchant", "customer"] as const;

/**
 * A customer's request to be paid out (Rebilly's payout request). The id is the client's, so it
 * is unique per business, not globally: two businesses may each have a request "pr-1".
 * Amounts are integer minor units of `currency`; the currency's ISO 4217 exponent turns them
 * back into the decimal numbers the API speaks. The allocations are a JSON array on the row:
 * a PUT replaces the whole representation, and keeping it in one row lets one locked statement
 * check and apply every rule. `status` and `available_minor` are derived from the rest on every
 * write and stored so lists can filter by them. `version` backs the ETag.
 */
export const payoutRequests = pgTable(
  "payout_requests",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    id: text("id").notNull(),
    // Lists page by this (creation order); client ids carry no order of their own.
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    version: integer("version").notNull().default(1),
    websiteId: text("website_id").notNull(),
    customerId: text("customer_id").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    availableMinor: bigint("available_minor", { mode: "bigint" }).notNull(),
    status: text("status", { enum: payoutRequestStatuses }).notNull(),
    description: text("description"),
    batchId: text("batch_id"),
    paymentInstrumentId: text("payment_instrument_id"),
    selectedPaymentInstrumentRedirectUrl: text("selected_payment_instrument_redirect_url"),
    blocked: boolean("blocked").notNull().default(false),
    blockReason: text("block_reason"),
    cancellationDescription: text("cancellation_description"),
    canceledBy: text("canceled_by", { enum: canceledByValues }),
    allocations: jsonb("allocations").notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string", precision: 3 }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string", precision: 3 }).notNull(),
  },
  (t) => [
    primaryKey({ name: "payout_requests_pkey", columns: [t.businessId, t.id] }),
    index("payout_requests_business_seq_idx").on(t.businessId, t.seq),
    check("payout_requests_id_format", sql`${t.id} ~ '^[A-Za-z0-9_-]{1,64}$'`),
    check("payout_requests_amount_positive", sql`${t.amountMinor} > 0`),
    check("payout_requests_available_range", sql`${t.availableMinor} >= 0 AND ${t.availableMinor} <= ${t.amountMinor}`),
    check(
      "payout_requests_status_check",
      sql`${t.status} IN ('fulfilled', 'partially-fulfilled', 'pending', 'canceled', 'instrument-selected')`,
    ),
    check("payout_requests_block_reason", sql`${t.blocked} = (${t.blockReason} IS NOT NULL)`),
    check("payout_requests_canceled_by", sql`(${t.status} = 'canceled') = (${t.canceledBy} IS NOT NULL)`),
    check("payout_requests_canceled_by_check", sql`${t.canceledBy} IS NULL OR ${t.canceledBy} IN ('merchant', 'customer')`),
    check("payout_requests_allocations_array", sql`jsonb_typeof(${t.allocations}) = 'array'`),
  ],
);
