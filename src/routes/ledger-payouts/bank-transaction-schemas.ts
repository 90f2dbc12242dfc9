import { z } from "@hono/zod-openapi";
import { bankDirections } from "../../../schema/ledger-payouts";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { booleanQuery, optionalText, positiveCents, text, timestamp } from "./field-schemas";
import { bulkLimit } from "./route-common";

export const exampleBankTransaction = {
  type: "Bank_Transaction_Data",
  id: "btx_01jd5m3k6v2q8r9t0w1x2y3z4a",
  business_id: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a",
  source: "STRIPE",
  source_transaction_id: "trxn_1sdOeLQiFAKE2LQBkcvrJw95f",
  source_account_id: "738ec216-e154-48f2-1111-cdc89c96b3d4",
  imported_at: "2024-03-19T22:09:53.290Z",
  date: "2024-03-06T06:06:40.000Z",
  direction: "CREDIT",
  amount: 87459,
  counterparty_name: null,
  description: "Payout (po_1OqnTHISISFAKEiTVBkCiyAERwm).",
  account_name: "Layer Banking",
  categorization_status: "MATCHED",
};

export const BankTransactionSchema = z
  .object({
    type: z.literal("Bank_Transaction_Data"),
    id: z.string(),
    business_id: z.string(),
    source: z.string(),
    source_transaction_id: z.string(),
    source_account_id: z.string().nullable(),
    imported_at: z.string(),
    date: z.string(),
    direction: z.enum(bankDirections),
    amount: z.number().int(),
    counterparty_name: z.string().nullable(),
    description: z.string().nullable(),
    account_name: z.string().nullable(),
    categorization_status: z.enum(["MATCHED", "READY_FOR_INPUT"]),
  })
  .openapi("BankTransaction", { example: exampleBankTransaction });

const exampleBankTransactionInput = {
  source: "STRIPE",
  source_transaction_id: "trxn_1sdOeLQiFAKE2LQBkcvrJw95f",
  source_account_id: "738ec216-e154-48f2-1111-cdc89c96b3d4",
  account_name: "Layer Banking",
  date: "2024-03-06T06:06:40Z",
  direction: "CREDIT",
  amount: 87459,
  counterparty_name: null,
  description: "Payout (po_1OqnTHISISFAKEiTVBkCiyAERwm).",
};

export const BankTransactionInputSchema = z
  .strictObject({
    source: text(64).openapi({ example: "STRIPE" }),
    source_transaction_id: text(255),
    source_account_id: optionalText(255),
    account_name: optionalText(255),
    date: timestamp,
    direction: z.enum(bankDirections),
    amount: positiveCents,
    counterparty_name: optionalText(255),
    description: optionalText(1000),
  })
  .openapi("BankTransactionInput", { example: exampleBankTransactionInput });
export type BankTransactionInput = z.output<typeof BankTransactionInputSchema>;

export const bankBulkBody = z
  .array(BankTransactionInputSchema)
  .min(1)
  .max(bulkLimit)
  .openapi({ example: [exampleBankTransactionInput] });

export const BankTransactionWithMatchSchema = BankTransactionSchema.extend({
  match: z.object({ id: z.string(), match_type: z.literal("PAYOUT"), payout_id: z.string() }).nullable(),
}).openapi("BankTransactionWithMatch", {
  example: {
    ...exampleBankTransaction,
    match: { id: "pmt_01jd5m3k6v2q8r9t0w1x2y3z4a", match_type: "PAYOUT", payout_id: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a" },
  },
});

export const bankListQuery = z.strictObject({
  ...paginationQuery,
  matched: booleanQuery.optional().openapi({ description: "`false`: only transactions without a payout match." }),
});
export const BankTransactionListSchema = z
  .object({ data: z.array(BankTransactionWithMatchSchema), meta: pageMetaSchema })
  .openapi("BankTransactionList", {
    example: {
      data: [{ ...exampleBankTransaction, categorization_status: "READY_FOR_INPUT", match: null }],
      meta: { next_cursor: null, limit: 50 },
    },
  });
