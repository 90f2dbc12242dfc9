import { z } from "@hono/zod-openapi";

// What every ledger-payouts route shares: the bulk limit, security, JSON content and path params.

/** Most payouts (and bank transactions) one bulk request may carry. */
export const bulkLimit = 1000 as const;

export const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { basicAuth: [] }];
export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

export const businessParam = z.object({
  businessId: z.string().openapi({ param: { name: "businessId", in: "path" }, example: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
});
export const payoutParam = businessParam.extend({
  payoutId: z.string().openapi({ param: { name: "payoutId", in: "path" }, example: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
});
