import { z } from "@hono/zod-openapi";
import { pageMetaSchema } from "../../http/pagination";
import { text } from "../../http/validation";

export const maxAllocation = 100_000_000;

export const PayoutUserCreateSchema = z
  .strictObject({
    email: z.email().max(255).openapi({ description: "The payout user's email; case-insensitive.", example: "ann@example.com" }),
    amount: z
      .number({ error: (iss) => (iss.input === undefined ? undefined : "Must be an integer number of cents") })
      .int("Must be an integer number of cents")
      .min(1, "Must be at least 1 cent")
      .max(maxAllocation, `Must be at most ${maxAllocation} cents`)
      .openapi({ description: "Cents to allocate, debited from the business payout balance (10000 = $100.00).", example: 10000 }),
  })
  .openapi("PayoutUserCreate", { example: { email: "ann@example.com", amount: 10000 } });

export const PayoutUserSchema = z
  .object({
    id: z.string().openapi({ example: "pou_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
    email: z.string().openapi({ example: "ann@example.com" }),
    hash: z.string().openapi({
      description: "Unique, unguessable; the user's own Bearer credential for GET /api/v1/payout-user.",
      example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    }),
    balance: z.number().int().openapi({ description: "Cents.", example: 10000 }),
    currency: z.string().openapi({ example: "USD" }),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("PayoutUser");

export const PayoutUserTransactionSchema = z
  .object({
    id: z.string().openapi({ example: "ptx_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
    type: z.enum(["allocation", "payout", "payout_reversal"]).openapi({
      description: "`allocation` from the business, `payout` paid out of this balance, `payout_reversal` a failed payout given back.",
      example: "allocation",
    }),
    amount: z.number().int().openapi({ description: "Cents added to the user's balance (negative for a payout).", example: 10000 }),
    balance_after: z.number().int().openapi({ description: "The user's balance right after this transaction, in cents.", example: 25000 }),
    currency: z.string().openapi({ example: "USD" }),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("PayoutUserTransaction");

export const PayoutUserIdParamSchema = z.object({
  id: text()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "pou_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
});

export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });
export const pageOf = <T extends z.ZodType>(schema: T) => z.object({ data: z.array(schema), meta: pageMetaSchema });
