import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { businesses } from "./businesses";

/**
 * API keys. Only the SHA-256 of the secret is kept; `prefix` is the first characters of
 * the secret, safe to show in a dashboard or a log so a person can tell keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    businessId: text("business_id")
      .notNull()
      .references(() => businesses.id),
    name: text("name").notNull().default(""),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "string" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" }),
    // The key's own token bucket (requests per second, burst); both null: the default 100/s, burst 200.
    rateLimitRate: integer("rate_limit_rate"),
    rateLimitBurst: integer("rate_limit_burst"),
  },
  (t) => [
    uniqueIndex("api_keys_secret_hash_key").on(t.secretHash),
    index("api_keys_business_idx").on(t.businessId),
    check(
      "api_keys_rate_limit_check",
      sql`(${t.rateLimitRate} IS NULL AND ${t.rateLimitBurst} IS NULL) OR (${t.rateLimitRate} >= 1 AND ${t.rateLimitBurst} >= 1)`,
    ),
  ],
);
