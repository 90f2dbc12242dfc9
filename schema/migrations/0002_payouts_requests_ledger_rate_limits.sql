CREATE TABLE "payout_status_history" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"webhook_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"ref_id" text NOT NULL,
	"status" text DEFAULT 'INITIATION_PENDING' NOT NULL,
	"status_reason_information" text,
	"amount" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"local_instrument" text NOT NULL,
	"creditor" jsonb NOT NULL,
	"initiation" jsonb NOT NULL,
	"on_behalf_of_id" text,
	"payee_id" text,
	"payout_user_id" text,
	"rail" text DEFAULT 'sandbox' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"rehanded_at" timestamp with time zone,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount" > 0),
	CONSTRAINT "payouts_status_check" CHECK ("payouts"."status" IN ('INITIATION_PENDING', 'INITIATION_PROCESSING', 'INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED'))
);
--> statement-breakpoint
CREATE TABLE "rail_webhook_events" (
	"rail" text NOT NULL,
	"webhook_id" text NOT NULL,
	"business_id" text,
	"payout_id" text,
	"rail_status" text NOT NULL,
	"status" text,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rail_webhook_events_rail_webhook_id_pk" PRIMARY KEY("rail","webhook_id")
);
--> statement-breakpoint
CREATE TABLE "payout_requests" (
	"business_id" text NOT NULL,
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "payout_requests_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"version" integer DEFAULT 1 NOT NULL,
	"website_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"available_minor" bigint NOT NULL,
	"status" text NOT NULL,
	"description" text,
	"batch_id" text,
	"payment_instrument_id" text,
	"selected_payment_instrument_redirect_url" text,
	"blocked" boolean DEFAULT false NOT NULL,
	"block_reason" text,
	"cancellation_description" text,
	"canceled_by" text,
	"allocations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "payout_requests_pkey" PRIMARY KEY("business_id","id"),
	CONSTRAINT "payout_requests_id_format" CHECK ("payout_requests"."id" ~ '^[A-Za-z0-9_-]{1,64}$'),
	CONSTRAINT "payout_requests_amount_positive" CHECK ("payout_requests"."amount_minor" > 0),
	CONSTRAINT "payout_requests_available_range" CHECK ("payout_requests"."available_minor" >= 0 AND "payout_requests"."available_minor" <= "payout_requests"."amount_minor"),
	CONSTRAINT "payout_requests_status_check" CHECK ("payout_requests"."status" IN ('fulfilled', 'partially-fulfilled', 'pending', 'canceled', 'instrument-selected')),
	CONSTRAINT "payout_requests_block_reason" CHECK ("payout_requests"."blocked" = ("payout_requests"."block_reason" IS NOT NULL)),
	CONSTRAINT "payout_requests_canceled_by" CHECK (("payout_requests"."status" = 'canceled') = ("payout_requests"."canceled_by" IS NOT NULL)),
	CONSTRAINT "payout_requests_canceled_by_check" CHECK ("payout_requests"."canceled_by" IS NULL OR "payout_requests"."canceled_by" IN ('merchant', 'customer')),
	CONSTRAINT "payout_requests_allocations_array" CHECK (jsonb_typeof("payout_requests"."allocations") = 'array')
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_rate" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "rate_limit_burst" integer;--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD COLUMN "idempotency_fingerprint" text;--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD COLUMN "payout_id" text;--> statement-breakpoint
ALTER TABLE "payout_status_history" ADD CONSTRAINT "payout_status_history_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_status_history" ADD CONSTRAINT "payout_status_history_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_payee_id_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."payees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_payout_user_id_payout_users_id_fk" FOREIGN KEY ("payout_user_id") REFERENCES "public"."payout_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_requests" ADD CONSTRAINT "payout_requests_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payout_status_history_payout_id_c_idx" ON "payout_status_history" USING btree ("payout_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_unsubmitted_idx" ON "payouts" USING btree ("created_at") WHERE "payouts"."status" = 'INITIATION_PENDING' AND "payouts"."submitted_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_business_ref_id_key" ON "payouts" USING btree ("business_id","ref_id");--> statement-breakpoint
CREATE INDEX "payouts_business_id_c_idx" ON "payouts" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_status_id_c_idx" ON "payouts" USING btree ("business_id","status","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_on_behalf_of_id_c_idx" ON "payouts" USING btree ("business_id","on_behalf_of_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_created_at_idx" ON "payouts" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "payouts_payout_user_id_idx" ON "payouts" USING btree ("payout_user_id");--> statement-breakpoint
CREATE INDEX "rail_webhook_events_payout_id_idx" ON "rail_webhook_events" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "payout_requests_business_seq_idx" ON "payout_requests" USING btree ("business_id","seq");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit_check" CHECK (("api_keys"."rate_limit_rate" IS NULL AND "api_keys"."rate_limit_burst" IS NULL) OR ("api_keys"."rate_limit_rate" >= 1 AND "api_keys"."rate_limit_burst" >= 1));