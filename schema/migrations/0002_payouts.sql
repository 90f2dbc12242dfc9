CREATE TABLE "payout_status_history" (
	"id" text PRIMARY KEY NOT NULL,
	"business_id" text NOT NULL,
	"payout_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
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
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount" > 0),
	CONSTRAINT "payouts_status_check" CHECK ("payouts"."status" IN ('INITIATION_PENDING', 'INITIATION_PROCESSING', 'INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED'))
);
--> statement-breakpoint
ALTER TABLE "payout_user_transactions" ADD COLUMN "payout_id" text;--> statement-breakpoint
ALTER TABLE "payout_status_history" ADD CONSTRAINT "payout_status_history_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_status_history" ADD CONSTRAINT "payout_status_history_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_business_id_businesses_id_fk" FOREIGN KEY ("business_id") REFERENCES "public"."businesses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_payee_id_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."payees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_payout_user_id_payout_users_id_fk" FOREIGN KEY ("payout_user_id") REFERENCES "public"."payout_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payout_status_history_payout_id_c_idx" ON "payout_status_history" USING btree ("payout_id","id" COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_business_ref_id_key" ON "payouts" USING btree ("business_id","ref_id");--> statement-breakpoint
CREATE INDEX "payouts_business_id_c_idx" ON "payouts" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_status_id_c_idx" ON "payouts" USING btree ("business_id","status","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_on_behalf_of_id_c_idx" ON "payouts" USING btree ("business_id","on_behalf_of_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_created_at_idx" ON "payouts" USING btree ("business_id","created_at");--> statement-breakpoint
CREATE INDEX "payouts_payout_user_id_idx" ON "payouts" USING btree ("payout_user_id");