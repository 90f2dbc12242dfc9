import { z } from "@hono/zod-openapi";

export const BalanceSchema = z
  .object({
    balance: z.number().int().openapi({ description: "The business payout balance, in cents.", example: 100000000 }),
    currency: z.string().openapi({ example: "USD" }),
    payouts_enabled: z.boolean(),
    allocated_total: z.number().int().openapi({ description: "The sum of every payout user's balance, in cents.", example: 2500000 }),
  })
  .openapi("Balance");

export const BalanceFundSchema = z
  .strictObject({
    amount: z
      .number({ error: (iss) => (iss.input === undefined ? undefined : "Must be an integer number of cents") })
      .int("Must be an integer number of cents")
      .min(1, "Must be at least 1 cent")
      .max(10_000_000_000_000, "Must be at most 10000000000000 cents")
      .openapi({ description: "Cents to add to the business payout balance.", example: 500000 }),
  })
  .openapi("BalanceFund", { example: { amount: 500000 } });
