import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

// The ledger-payouts group (Layer's bulk payouts): a chart of accounts per business, invoices and
// their payments, refunds, processor payouts with one journal entry each, bank transactions and
// the matches between bank credits and payouts. Money is integer minor units (cents).

export const ledgerProcessors = ["STRIPE", "PAYPAL", "SHOPIFY", "ADYEN", "RAINFOREST"] as const;
export const journalDirections = ["DEBIT", "CREDIT"] as const;
export const bankDirections = ["CREDIT", "DEBIT"] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });
const money = (name: string) => bigint(name, { mode: "bigint" });
const processorCheck = (col: unknown) => sql`${col} IS NULL OR ${col} IN ('STRIPE', 'PAYPAL', 'SHOPIFY', 'ADYEN', 'RAINFOREST')`;

export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    name: text("name").notNull(),
    accountNumber: text("account_number"),
    stableName: text("stable_name"),
    accountType: text("account_type").notNull(),
    accountSubtype: text("account_subtype").notNull(),
    normalBalance: text("normal_balance").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    // The default chart is created with ON CONFLICT DO NOTHING on this index: never twice.
    uniqueIndex("ledger_accounts_business_stable_name_key").on(t.businessId, t.stableName),
    check("ledger_accounts_normal_balance_check", sql`${t.normalBalance} IN ('DEBIT', 'CREDIT')`),
  ],
);

export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    externalId: text("external_id"),
    totalAmount: money("total_amount").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("invoices_business_external_id_key").on(t.businessId, t.externalId)],
);

export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    externalId: text("external_id"),
    invoiceId: text("invoice_id").references(() => invoices.id),
    amount: money("amount").notNull(),
    fee: money("fee").notNull().default(sql`0`),
    processor: text("processor"),
    method: text("method"),
    completedAt: ts("completed_at").notNull(),
    // What the payment was booked to; a payout that includes it clears it out of this account.
    clearingAccountId: text("clearing_account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    memo: text("memo"),
    metadata: jsonb("metadata"),
    referenceNumber: text("reference_number"),
    importedAt: ts("imported_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invoice_payments_business_external_id_key").on(t.businessId, t.externalId),
    check("invoice_payments_amount_positive", sql`${t.amount} > 0`),
    check("invoice_payments_fee_non_negative", sql`${t.fee} >= 0`),
    check("invoice_payments_processor_check", processorCheck(t.processor)),
  ],
);

/** A refund with its one refund payment (the page allows addressing a refund by either). */
export const refunds = pgTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    externalId: text("external_id"),
    refundPaymentId: text("refund_payment_id").notNull(),
    refundPaymentExternalId: text("refund_payment_external_id"),
    refundedAmount: money("refunded_amount").notNull(),
    fee: money("fee").notNull().default(sql`0`),
    processor: text("processor"),
    method: text("method"),
    status: text("status").notNull().default("PAID"),
    completedAt: ts("completed_at").notNull(),
    accountId: text("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    memo: text("memo"),
    metadata: jsonb("metadata"),
    referenceNumber: text("reference_number"),
    importedAt: ts("imported_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("refunds_business_external_id_key").on(t.businessId, t.externalId),
    uniqueIndex("refunds_refund_payment_id_key").on(t.refundPaymentId),
    uniqueIndex("refunds_business_payment_external_id_key").on(t.businessId, t.refundPaymentExternalId),
    check("refunds_amount_positive", sql`${t.refundedAmount} > 0`),
    check("refunds_processor_check", processorCheck(t.processor)),
  ],
);

export const ledgerPayouts = pgTable(
  "ledger_payouts",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    externalId: text("external_id").notNull(),
    paidOutAmount: money("paid_out_amount").notNull(),
    fee: money("fee").notNull().default(sql`0`),
    additionalRefundsAmount: money("additional_refunds_amount").notNull().default(sql`0`),
    processor: text("processor"),
    // NULL means "not given": the journal entry then uses Undeposited Funds.
    clearingAccountId: text("clearing_account_id").references(() => ledgerAccounts.id),
    completedAt: ts("completed_at").notNull(),
    otherTransactions: jsonb("other_transactions").notNull().default(sql`'[]'::jsonb`),
    tags: jsonb("tags").notNull().default(sql`'[]'::jsonb`),
    memo: text("memo"),
    metadata: jsonb("metadata"),
    referenceNumber: text("reference_number"),
    importedAt: ts("imported_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_payouts_business_external_id_key").on(t.businessId, t.externalId),
    index("ledger_payouts_business_id_c_idx").on(t.businessId, sql`${t.id} COLLATE "C"`),
    index("ledger_payouts_business_amount_idx").on(t.businessId, t.paidOutAmount),
    check("ledger_payouts_fee_non_negative", sql`${t.fee} >= 0`),
    check("ledger_payouts_additional_refunds_non_negative", sql`${t.additionalRefundsAmount} >= 0`),
    check("ledger_payouts_processor_check", processorCheck(t.processor)),
  ],
);

export const payoutPayments = pgTable(
  "payout_payments",
  {
    payoutId: text("payout_id")
      .notNull()
      .references(() => ledgerPayouts.id, { onDelete: "cascade" }),
    paymentId: text("payment_id")
      .notNull()
      .references(() => invoicePayments.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.payoutId, t.paymentId] }), index("payout_payments_payment_idx").on(t.paymentId)],
);

export const payoutRefunds = pgTable(
  "payout_refunds",
  {
    payoutId: text("payout_id")
      .notNull()
      .references(() => ledgerPayouts.id, { onDelete: "cascade" }),
    refundId: text("refund_id")
      .notNull()
      .references(() => refunds.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.payoutId, t.refundId] }), index("payout_refunds_refund_idx").on(t.refundId)],
);

/** One per payout: an upsert deletes the old entry (and its lines) and writes a new one. */
export const journalEntries = pgTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    payoutId: text("payout_id")
      .notNull()
      .references(() => ledgerPayouts.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("journal_entries_payout_key").on(t.payoutId),
    index("journal_entries_business_id_c_idx").on(t.businessId, sql`${t.id} COLLATE "C"`),
  ],
);

export const journalLines = pgTable(
  "journal_lines",
  {
    id: text("id").primaryKey(),
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id, { onDelete: "cascade" }),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    accountId: text("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    direction: text("direction").notNull(),
    amount: money("amount").notNull(),
    description: text("description"),
  },
  (t) => [
    index("journal_lines_entry_idx").on(t.entryId),
    index("journal_lines_business_account_idx").on(t.businessId, t.accountId),
    check("journal_lines_direction_check", sql`${t.direction} IN ('DEBIT', 'CREDIT')`),
    check("journal_lines_amount_positive", sql`${t.amount} > 0`),
  ],
);

export const bankTransactions = pgTable(
  "bank_transactions",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    source: text("source").notNull(),
    sourceTransactionId: text("source_transaction_id").notNull(),
    sourceAccountId: text("source_account_id"),
    accountName: text("account_name"),
    date: ts("date").notNull(),
    direction: text("direction").notNull(),
    amount: money("amount").notNull(),
    counterpartyName: text("counterparty_name"),
    description: text("description"),
    importedAt: ts("imported_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("bank_transactions_business_source_key").on(t.businessId, t.source, t.sourceTransactionId),
    index("bank_transactions_business_id_c_idx").on(t.businessId, sql`${t.id} COLLATE "C"`),
    index("bank_transactions_business_amount_idx").on(t.businessId, t.amount),
    check("bank_transactions_direction_check", sql`${t.direction} IN ('CREDIT', 'DEBIT')`),
    check("bank_transactions_amount_positive", sql`${t.amount} > 0`),
  ],
);

/** Each side at most once: both columns are unique. Undoing a match deletes its row. */
export const payoutMatches = pgTable(
  "payout_matches",
  {
    id: text("id").primaryKey(),
    detailsId: text("details_id").notNull(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    payoutId: text("payout_id")
      .notNull()
      .references(() => ledgerPayouts.id, { onDelete: "cascade" }),
    bankTransactionId: text("bank_transaction_id")
      .notNull()
      .references(() => bankTransactions.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payout_matches_payout_key").on(t.payoutId),
    uniqueIndex("payout_matches_bank_transaction_key").on(t.bankTransactionId),
  ],
);
