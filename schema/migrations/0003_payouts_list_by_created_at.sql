DROP INDEX "payouts_business_id_c_idx";--> statement-breakpoint
DROP INDEX "payouts_business_status_id_c_idx";--> statement-breakpoint
DROP INDEX "payouts_business_on_behalf_of_id_c_idx";--> statement-breakpoint
DROP INDEX "payouts_business_created_at_idx";--> statement-breakpoint
CREATE INDEX "payouts_business_created_at_id_c_idx" ON "payouts" USING btree ("business_id","created_at","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_status_created_at_id_c_idx" ON "payouts" USING btree ("business_id","status","created_at","id" COLLATE "C");--> statement-breakpoint
CREATE INDEX "payouts_business_on_behalf_of_id_created_at_id_c_idx" ON "payouts" USING btree ("business_id","on_behalf_of_id","created_at","id" COLLATE "C");