import { sql } from "drizzle-orm";
import { bigint, boolean, char, check, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A tenant. Its payout balance is the money it can allocate or pay out, in minor units. */
export const businesses = pgTable(
  "businesses",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    payoutBalance: bigint("payout_balance", { mode: "bigint" }).notNull().default(sql`0`),
    currency: char("currency", { length: 3 }).notNull().default("USD"),
    payoutsEnabled: boolean("payouts_enabled").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  // The last line of defence against an overdraw, whatever the application believes.
  (t) => [check("businesses_payout_balance_non_negative", sql`${t.payoutBalance} >= 0`)],
);
