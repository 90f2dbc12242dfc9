DROP INDEX "payees_business_id_idx";--> statement-breakpoint
DROP INDEX "payout_user_transactions_user_idx";--> statement-breakpoint
DROP INDEX "payout_users_business_id_idx";--> statement-breakpoint
CREATE INDEX "payees_business_id_c_idx" ON "payees" USING btree ("business_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payout_user_transactions_user_c_idx" ON "payout_user_transactions" USING btree ("payout_user_id","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payout_users_business_id_c_idx" ON "payout_users" USING btree ("business_id","id" COLLATE "C");