CREATE TABLE "businesses" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"payout_balance" bigint DEFAULT 0 NOT NULL,
	"currency" char(3) DEFAULT 'USD' NOT NULL,
	"payouts_enabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "businesses_payout_balance_non_negative" CHECK ("businesses"."payout_balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payees" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"contact_email" text,
	"hold_status" text DEFAULT 'none' NOT NULL,
	"hold_reason" text,
	"default_fallback_percent" numeric(5, 2),
	"minimum_payout_threshold" numeric(20, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payees_type_check" CHECK ("payees"."type" IN ('individual', 'company', 'affiliate', 'agency')),
	CONSTRAINT "payees_status_check" CHECK ("payees"."status" IN ('active', 'inactive', 'pending')),
	CONSTRAINT "payees_hold_status_check" CHECK ("payees"."hold_status" IN ('none', 'on_hold')),
	CONSTRAINT "payees_fallback_percent_range" CHECK ("payees"."default_fallback_percent" IS NULL OR ("payees"."default_fallback_percent" >= 0 AND "payees"."default_fallback_percent" <= 100)),
	CONSTRAINT "payees_threshold_non_negative" CHECK ("payees"."minimum_payout_threshold" IS NULL OR "payees"."minimum_payout_threshold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payout_user_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"payout_user_id" text NOT NULL,
	"type" text NOT NULL,
	"amount" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_users" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"email" text NOT NULL,
	"hash_digest" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_users_balance_non_negative" CHECK ("payout_users"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"business_id" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"fingerprint" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_business_id_key_pk" PRIMARY KEY("business_id","key")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payees" ADD CONSTRAINT "payees_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD CONSTRAINT "payout_user_transactions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD CONSTRAINT "payout_user_transactions_payout_user_id_payout_users_id_fk" FOREIGN KEY ("payout_user_id") REFERENCES "public"."payout_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_users" ADD CONSTRAINT "payout_users_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_keys_business_idx" ON "api_keys" USING btree ("business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payees_business_external_id_key" ON "payees" USING btree ("business_id","external_id");--> statement-breakpoint
CREATE INDEX "payees_business_id_idx" ON "payees" USING btree ("business_id","id");--> statement-breakpoint
CREATE INDEX "payout_user_transactions_user_idx" ON "payout_user_transactions" USING btree ("payout_user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_user_transactions_idempotency_key" ON "payout_user_transactions" USING btree ("business_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_users_business_email_key" ON "payout_users" USING btree ("business_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_users_hash_digest_key" ON "payout_users" USING btree ("hash_digest");--> statement-breakpoint
CREATE INDEX "payout_users_business_id_idx" ON "payout_users" USING btree ("business_id","id");