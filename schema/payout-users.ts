import { sql } from "drizzle-orm";
import { bigint, char, check, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

/** Someone the business has allocated money to, known by email (stored lower-cased). */
export const payoutUsers = pgTable(
  "payout_users",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    email: text("email").notNull(),
    // The user's `hash` (a bearer credential for their own read-only view) is an HMAC of the
    // user id under PAYOUT_HASH_SECRET, so it is never stored; this SHA-256 of it finds the user.
    hashDigest: text("hash_digest").notNull(),
    balance: bigint("balance", { mode: "bigint" }).notNull().default(sql`0`),
    currency: char("currency", { length: 3 }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payout_users_business_email_key").on(t.businessId, t.email),
    uniqueIndex("payout_users_hash_digest_key").on(t.hashDigest),
    // Lists page by id in the "C" collation (byte order, whatever the database locale): index it so.
    index("payout_users_business_id_c_idx").on(t.businessId, sql`${t.id} COLLATE "C"`),
    check("payout_users_balance_non_negative", sql`${t.balance} >= 0`),
  ],
);

/** One row per change of a payout user's balance, with the balance it left behind. */
export const payoutUserTransactions = pgTable(
  "payout_user_transactions",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    payoutUserId: text("payout_user_id")
      .notNull()
      .references(() => payoutUsers.id),
    // 'payout' debits (negative amount) for a payout funded from this user's balance; 'payout_reversal'
    // credits it back when the rail rejects or fails that payout.
    type: text("type", { enum: ["allocation", "payout", "payout_reversal"] }).notNull(),
    amount: bigint("amount", { mode: "bigint" }).notNull(),
    balanceAfter: bigint("balance_after", { mode: "bigint" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    idempotencyKey: text("idempotency_key"),
    // The request the key was first used with (services/../lib/fingerprint.ts), as for every POST.
    idempotencyFingerprint: text("idempotency_fingerprint"),
    // The payout this row debits or credits back (NULL for allocations).
    payoutId: text("payout_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    index("payout_user_transactions_user_c_idx").on(t.payoutUserId, sql`${t.id} COLLATE "C"`),
    // A retried allocation can never be written twice, whatever the Durable Object believes.
    uniqueIndex("payout_user_transactions_idempotency_key").on(t.businessId, t.idempotencyKey),
  ],
);
