import { z } from "@hono/zod-openapi";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { AccountSchema, exampleAccount } from "./account-schemas";

export const entryListQuery = z.strictObject({
  ...paginationQuery,
  payout_id: z.string().min(1).max(64).optional(),
  account_id: z.string().min(1).max(64).optional().openapi({ description: "Entries with at least one line on this account." }),
});

export const JournalEntrySchema = z
  .object({
    id: z.string(),
    payout_id: z.string(),
    payout_external_id: z.string(),
    created_at: z.string(),
    lines: z.array(
      z.object({
        id: z.string(),
        account: AccountSchema,
        direction: z.enum(["DEBIT", "CREDIT"]),
        amount: z.number().int(),
        description: z.string().nullable(),
      }),
    ),
  })
  .openapi("JournalEntry");
const exampleEntry = {
  id: "jen_01jd5m3k6v2q8r9t0w1x2y3z4a",
  payout_id: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a",
  payout_external_id: "payout-1234",
  created_at: "2024-03-05T22:09:53.290Z",
  lines: [
    { id: "jln_01jd5m3k6v2q8r9t0w1x2y3z4a", account: exampleAccount, direction: "DEBIT", amount: 87459, description: "Payout deposit" },
    {
      id: "jln_01jd5m3k6v2q8r9t0w1x2y3z4b",
      account: { ...exampleAccount, name: "Payment Processing Fees" },
      direction: "DEBIT",
      amount: 123,
      description: "Processor fee",
    },
    {
      id: "jln_01jd5m3k6v2q8r9t0w1x2y3z4c",
      account: { ...exampleAccount, name: "Accounts Receivable" },
      direction: "CREDIT",
      amount: 87582,
      description: "Payment payment-31415",
    },
  ],
};
export const JournalEntryListSchema = z
  .object({ data: z.array(JournalEntrySchema), meta: pageMetaSchema })
  .openapi("JournalEntryList", { example: { data: [exampleEntry], meta: { next_cursor: null, limit: 50 } } });
