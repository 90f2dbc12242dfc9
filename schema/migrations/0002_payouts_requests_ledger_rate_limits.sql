ALTER TABLE "api_keys" ADD COLUMN "rate_limit_rate" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_burst" integer;--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD COLUMN "idempotency_fingerprint" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit_check" CHECK (("api_keys"."rate_limit_rate" IS NULL AND "api_keys"."rate_limit_burst" IS NULL) OR ("api_keys"."rate_limit_rate" >= 1 AND "api_keys"."rate_limit_burst" >= 1));