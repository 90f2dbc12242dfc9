import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

/**
 * `Idempotency-Key` records, per business. A row without a response is a request in flight;
 * with one, the first answer, replayed for a retry with the same body. Kept at least 24 hours.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    fingerprint: text("fingerprint").notNull(),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.businessId, t.key] })],
);
