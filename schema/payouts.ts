import { sql } from "drizzle-orm";
import { bigint, char, check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";
import { payees } from "./payees";
import { payoutUsers } from "./payout-users";

/** Token.io's PayoutStatus values, in the page's own spelling. */
export const payoutStatuses = [
  "INITIATION_PENDING",
  "INITIATION_PROCESSING",
  "INITIATION_COMPLETED",
  "INITIATION_REJECTED",
  "INITIATION_FAILED",
] as const;
export type PayoutStatus = (typeof payoutStatuses)[number];

/**
 * A payout to an external account. Its amount is held (debited from the business balance or a payout
 * user's balance) in the same statement that writes the row, so a row in a non-failed status is money
 * that has left the balances; a REJECTED/FAILED payout has had its hold returned (issue 10's reversal).
 */
export const payouts = pgTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    refId: text("ref_id").notNull(),
    status: text("status", { enum: payoutStatuses }).notNull().default("INITIATION_PENDING"),
    statusReasonInformation: text("status_reason_information"),
    amount: bigint("amount", { mode: "bigint" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    localInstrument: text("local_instrument").notNull(),
    // Echoed as sent (after validation), in the page's camelCase.
    creditor: jsonb("creditor").notNull(),
    initiation: jsonb("initiation").notNull(),
    onBehalfOfId: text("on_behalf_of_id"),
    payeeId: text("payee_id").references(() => payees.id),
    // The source of funds: NULL is the business payout balance, otherwise this payout user's balance.
    payoutUserId: text("payout_user_id").references(() => payoutUsers.id),
    rail: text("rail").notNull().default("sandbox"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    // Issue 10's hand-off: when the rail acknowledged the submission, and when the cron last handed an
    // unsubmitted payout to the queue again (so it is not re-handed on every tick).
    submittedAt: timestamp("submitted_at", { withTimezone: true, mode: "string" }),
    rehandedAt: timestamp("rehanded_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    // The cron's search for payouts whose hand-off to the rail was lost.
    index("payouts_unsubmitted_idx").on(t.createdAt).where(sql`${t.status} = 'INITIATION_PENDING' AND ${t.submittedAt} IS NULL`),
    uniqueIndex("payouts_business_ref_id_key").on(t.businessId, t.refId),
    // Lists page newest first by (created_at, id in the "C" collation). Each index is led by the business
    // and ends in that order, so a date range is a range of the index, not rows read and thrown away.
    index("payouts_business_created_at_id_c_idx").on(t.businessId, t.createdAt, sql`${t.id} COLLATE "C"`),
    index("payouts_business_status_created_at_id_c_idx").on(t.businessId, t.status, t.createdAt, sql`${t.id} COLLATE "C"`),
    index("payouts_business_on_behalf_of_id_created_at_id_c_idx").on(t.businessId, t.onBehalfOfId, t.createdAt, sql`${t.id} COLLATE "C"`),
    index("payouts_payout_user_id_idx").on(t.payoutUserId),
    check("payouts_amount_positive", sql`${t.amount} > 0`),
    check(
      "payouts_status_check",
      sql`${t.status} IN ('INITIATION_PENDING', 'INITIATION_PROCESSING', 'INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED')`,
    ),
  ],
);

/** Every status a payout has been in, oldest first; the first row is written with the payout. */
export const payoutStatusHistory = pgTable(
  "payout_status_history",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    payoutId: text("payout_id")
      .notNull()
      .references(() => payouts.id),
    status: text("status", { enum: payoutStatuses }).notNull(),
    reason: text("reason"),
    // The rail webhook (its webhook-id) that caused this change; NULL for the first row.
    webhookId: text("webhook_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [index("payout_status_history_payout_id_c_idx").on(t.payoutId, sql`${t.id} COLLATE "C"`)],
);

/**
 * Every signed rail webhook accepted, keyed by the rail and its `webhook-id`: a replay finds its row and
 * changes nothing. Events that were ignored (backwards, after a final status) stay here too.
 */
export const railWebhookEvents = pgTable(
  "rail_webhook_events",
  {
    rail: text("rail").notNull(),
    webhookId: text("webhook_id").notNull(),
    businessId: text("business_id"),
    payoutId: text("payout_id"),
    railStatus: text("rail_status").notNull(),
    status: text("status", { enum: payoutStatuses }),
    reason: text("reason"),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.rail, t.webhookId] }), index("rail_webhook_events_payout_id_idx").on(t.payoutId)],
);
