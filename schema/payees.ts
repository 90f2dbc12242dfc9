import { sql } from "drizzle-orm";
import { check, index, numeric, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

export const payeeTypes = ["individual", "company", "affiliate", "agency"] as const;
export const payeeStatuses = ["active", "inactive", "pending"] as const;
export const holdStatuses = ["none", "on_hold"] as const;

/** A recipient of allocations. Decimals stay `numeric` so no precision is lost on the way. */
export const payees = pgTable(
  "payees",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    externalId: text("external_id"),
    name: text("name").notNull(),
    type: text("type", { enum: payeeTypes }).notNull(),
    status: text("status", { enum: payeeStatuses }).notNull().default("active"),
    contactEmail: text("contact_email"),
    holdStatus: text("hold_status", { enum: holdStatuses }).notNull().default("none"),
    holdReason: text("hold_reason"),
    defaultFallbackPercent: numeric("default_fallback_percent", { precision: 5, scale: 2 }),
    minimumPayoutThreshold: numeric("minimum_payout_threshold", { precision: 20, scale: 2 }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [
    // NULL external ids do not collide, so payees without one are unconstrained.
    uniqueIndex("payees_business_external_id_key").on(t.businessId, t.externalId),
    // Lists page by id in the "C" collation (byte order, whatever the database locale): index it so.
    index("payees_business_id_c_idx").on(t.businessId, sql`${t.id} COLLATE "C"`),
    check("payees_type_check", sql`${t.type} IN ('individual', 'company', 'affiliate', 'agency')`),
    check("payees_status_check", sql`${t.status} IN ('active', 'inactive', 'pending')`),
    check("payees_hold_status_check", sql`${t.holdStatus} IN ('none', 'on_hold')`),
    check(
      "payees_fallback_percent_range",
      sql`${t.defaultFallbackPercent} IS NULL OR (${t.defaultFallbackPercent} >= 0 AND ${t.defaultFallbackPercent} <= 100)`,
    ),
    check("payees_threshold_non_negative", sql`${t.minimumPayoutThreshold} IS NULL OR ${t.minimumPayoutThreshold} >= 0`),
  ],
);
