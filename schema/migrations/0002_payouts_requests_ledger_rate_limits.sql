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
CREATE TABLE "bank_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"source" text NOT NULL,
	"source_transaction_id" text NOT NULL,
	"source_account_id" text,
	"account_name" text,
	"date" timestamp with time zone NOT NULL,
	"direction" text NOT NULL,
	"amount" bigint NOT NULL,
	"counterparty_name" text,
	"description" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_transactions_direction_check" CHECK ("bank_transactions"."direction" IN ('CREDIT', 'DEBIT')),
	CONSTRAINT "bank_transactions_amount_positive" CHECK ("bank_transactions"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"external_id" text,
	"invoice_id" text,
	"amount" bigint NOT NULL,
	"fee" bigint DEFAULT 0 NOT NULL,
	"processor" text,
	"method" text,
	"completed_at" timestamp with time zone NOT NULL,
	"clearing_account_id" text NOT NULL,
	"memo" text,
	"metadata" jsonb,
	"reference_number" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_payments_amount_positive" CHECK ("invoice_payments"."amount" > 0),
	CONSTRAINT "invoice_payments_fee_non_negative" CHECK ("invoice_payments"."fee" >= 0),
	CONSTRAINT "invoice_payments_processor_check" CHECK ("invoice_payments"."processor" IS NULL OR "invoice_payments"."processor" IN ('STRIPE', 'PAYPAL', 'SHOPIFY', 'ADYEN', 'RAINFOREST'))
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"external_id" text,
	"total_amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "journal_lines" (
	"id" text PRIMARY KEY NOT NULL,
	"entry_id" text NOT NULL,
	"business_id" text NOT NULL,
	"account_id" text NOT NULL,
	"direction" text NOT NULL,
	"amount" bigint NOT NULL,
	"description" text,
	CONSTRAINT "journal_lines_direction_check" CHECK ("journal_lines"."direction" IN ('DEBIT', 'CREDIT')),
	CONSTRAINT "journal_lines_amount_positive" CHECK ("journal_lines"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"name" text NOT NULL,
	"account_number" text,
	"stable_name" text,
	"account_type" text NOT NULL,
	"account_subtype" text NOT NULL,
	"normal_balance" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_normal_balance_check" CHECK ("ledger_accounts"."normal_balance" IN ('DEBIT', 'CREDIT'))
);
--> statement-breakpoint
CREATE TABLE "ledger_payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"external_id" text NOT NULL,
	"paid_out_amount" bigint NOT NULL,
	"fee" bigint DEFAULT 0 NOT NULL,
	"additional_refunds_amount" bigint DEFAULT 0 NOT NULL,
	"processor" text,
	"clearing_account_id" text,
	"completed_at" timestamp with time zone NOT NULL,
	"other_transactions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"memo" text,
	"metadata" jsonb,
	"reference_number" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_payouts_fee_non_negative" CHECK ("ledger_payouts"."fee" >= 0),
	CONSTRAINT "ledger_payouts_additional_refunds_non_negative" CHECK ("ledger_payouts"."additional_refunds_amount" >= 0),
	CONSTRAINT "ledger_payouts_processor_check" CHECK ("ledger_payouts"."processor" IS NULL OR "ledger_payouts"."processor" IN ('STRIPE', 'PAYPAL', 'SHOPIFY', 'ADYEN', 'RAINFOREST'))
);
--> statement-breakpoint
CREATE TABLE "payout_matches" (
	"id" text PRIMARY KEY NOT NULL,
	"details_id" text NOT NULL,
	"business_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"bank_transaction_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_payments" (
	"payout_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "payout_payments_payout_id_payment_id_pk" PRIMARY KEY("payout_id","payment_id")
);
--> statement-breakpoint
CREATE TABLE "payout_refunds" (
	"payout_id" text NOT NULL,
	"refund_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "payout_refunds_payout_id_refund_id_pk" PRIMARY KEY("payout_id","refund_id")
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"external_id" text,
	"refund_payment_id" text NOT NULL,
	"refund_payment_external_id" text,
	"refunded_amount" bigint NOT NULL,
	"fee" bigint DEFAULT 0 NOT NULL,
	"processor" text,
	"method" text,
	"status" text DEFAULT 'PAID' NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"account_id" text NOT NULL,
	"memo" text,
	"metadata" jsonb,
	"reference_number" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_positive" CHECK ("refunds"."refunded_amount" > 0),
	CONSTRAINT "refunds_processor_check" CHECK ("refunds"."processor" IS NULL OR "refunds"."processor" IN ('STRIPE', 'PAYPAL', 'SHOPIFY', 'ADYEN', 'RAINFOREST'))
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
ALTER TABLE "bank_transactions" ADD CONSTRAINT "bank_transactions_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_clearing_account_id_ledger_accounts_id_fk" FOREIGN KEY ("clearing_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD CONSTRAINT "journal_entries_payout_id_ledger_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."ledger_payouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_entry_id_journal_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."journal_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_lines" ADD CONSTRAINT "journal_lines_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_payouts" ADD CONSTRAINT "ledger_payouts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_payouts" ADD CONSTRAINT "ledger_payouts_clearing_account_id_ledger_accounts_id_fk" FOREIGN KEY ("clearing_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_matches" ADD CONSTRAINT "payout_matches_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_matches" ADD CONSTRAINT "payout_matches_payout_id_ledger_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."ledger_payouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_matches" ADD CONSTRAINT "payout_matches_bank_transaction_id_bank_transactions_id_fk" FOREIGN KEY ("bank_transaction_id") REFERENCES "public"."bank_transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_payments" ADD CONSTRAINT "payout_payments_payout_id_ledger_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."ledger_payouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_payments" ADD CONSTRAINT "payout_payments_payment_id_invoice_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."invoice_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_refunds" ADD CONSTRAINT "payout_refunds_payout_id_ledger_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."ledger_payouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_refunds" ADD CONSTRAINT "payout_refunds_refund_id_refunds_id_fk" FOREIGN KEY ("refund_id") REFERENCES "public"."refunds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "bank_transactions_business_source_key" ON "bank_transactions" USING btree ("business_id","source","source_transaction_id");--> statement-breakpoint
CREATE INDEX "bank_transactions_business_id_c_idx" ON "bank_transactions" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "bank_transactions_business_amount_idx" ON "bank_transactions" USING btree ("business_id","amount");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_payments_business_external_id_key" ON "invoice_payments" USING btree ("business_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_business_external_id_key" ON "invoices" USING btree ("business_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "journal_entries_payout_key" ON "journal_entries" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "journal_entries_business_id_c_idx" ON "journal_entries" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "journal_lines_entry_idx" ON "journal_lines" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "journal_lines_business_account_idx" ON "journal_lines" USING btree ("business_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_business_stable_name_key" ON "ledger_accounts" USING btree ("business_id","stable_name");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_payouts_business_external_id_key" ON "ledger_payouts" USING btree ("business_id","external_id");--> statement-breakpoint
CREATE INDEX "ledger_payouts_business_id_c_idx" ON "ledger_payouts" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "ledger_payouts_business_amount_idx" ON "ledger_payouts" USING btree ("business_id","paid_out_amount");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_matches_payout_key" ON "payout_matches" USING btree ("payout_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payout_matches_bank_transaction_key" ON "payout_matches" USING btree ("bank_transaction_id");--> statement-breakpoint
CREATE INDEX "payout_payments_payment_idx" ON "payout_payments" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payout_refunds_refund_idx" ON "payout_refunds" USING btree ("refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_business_external_id_key" ON "refunds" USING btree ("business_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_refund_payment_id_key" ON "refunds" USING btree ("refund_payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_business_payment_external_id_key" ON "refunds" USING btree ("business_id","refund_payment_external_id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_rate_limit_check" CHECK (("api_keys"."rate_limit_rate" IS NULL AND "api_keys"."rate_limit_burst" IS NULL) OR ("api_keys"."rate_limit_rate" >= 1 AND "api_keys"."rate_limit_burst" >= 1));