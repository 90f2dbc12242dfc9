import { z } from "@hono/zod-openapi";

export const exampleAccount = {
  id: { type: "AccountId", id: "acct_01jd5m3k6v2q8r9t0w1x2y3z4a" },
  name: "Undeposited Funds",
  account_number: "1020",
  stable_name: { type: "StableName", stable_name: "UNDEPOSITED_FUNDS" },
  account_type: { display_name: "Asset" },
  account_subtype: { display_name: "Current Assets" },
};

export const AccountSchema = z
  .object({
    id: z.object({ type: z.literal("AccountId"), id: z.string() }),
    name: z.string(),
    account_number: z.string().nullable(),
    stable_name: z.object({ type: z.literal("StableName"), stable_name: z.string() }).nullable(),
    account_type: z.object({ display_name: z.string() }),
    account_subtype: z.object({ display_name: z.string() }),
  })
  .openapi("LedgerAccount", { example: exampleAccount });

export const AccountWithBalanceSchema = AccountSchema.extend({
  normal_balance: z.enum(["DEBIT", "CREDIT"]),
  debits: z.number().int(),
  credits: z.number().int(),
  balance: z
    .number()
    .int()
    .openapi({ description: "Debits minus credits for a debit-normal account, the reverse for a credit-normal one, in cents." }),
}).openapi("LedgerAccountBalance", { example: { ...exampleAccount, normal_balance: "DEBIT", debits: 123, credits: 0, balance: 123 } });

export const AccountListSchema = z.object({ data: z.array(AccountWithBalanceSchema) }).openapi("LedgerAccountList", {
  example: { data: [{ ...exampleAccount, normal_balance: "DEBIT", debits: 87459, credits: 0, balance: 87459 }] },
});
