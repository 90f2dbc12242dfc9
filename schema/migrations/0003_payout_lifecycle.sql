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
ALTER TABLE "payout_status_history" ADD COLUMN "webhook_id" text;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payouts" ADD COLUMN "rehanded_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "rail_webhook_events_payout_id_idx" ON "rail_webhook_events" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "payouts_unsubmitted_idx" ON "payouts" USING btree ("created_at") WHERE "payouts"."status" = 'INITIATION_PENDING' AND "payouts"."submitted_at" IS NULL;