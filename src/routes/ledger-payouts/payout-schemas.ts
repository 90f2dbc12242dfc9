import { z } from "@hono/zod-openapi";
import { ledgerProcessors } from "../../../schema/ledger-payouts";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { AccountSchema } from "./account-schemas";
import { BankTransactionSchema } from "./bank-transaction-schemas";
import { AccountIdentifierSchema, booleanQuery, processorEnum, timestamp } from "./field-schemas";
import { examplePayout } from "./payout-examples";

const TransactionTagSchema = z.object({
  id: z.string(),
  key: z.string(),
  value: z.string(),
  dimension_id: z.string().nullable(),
  definition_id: z.string().nullable(),
  dimension_display_name: z.string().nullable(),
  value_display_name: z.string().nullable(),
  archived_at: z.string().nullable(),
});

export const MatchSchema = z
  .object({
    id: z.string(),
    match_type: z.literal("PAYOUT"),
    bank_transaction: BankTransactionSchema,
    details: z.object({
      type: z.literal("Payout_Match"),
      id: z.string(),
      amount: z.number().int(),
      date: z.string(),
      description: z.string(),
      adjustment: z.null(),
    }),
  })
  .openapi("LedgerPayoutMatch");

/** The tags and record fields that close every payout, payment, allocation and refund. */
const recordOut = {
  transaction_tags: z.array(TransactionTagSchema),
  memo: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  reference_number: z.string().nullable(),
};

const payoutCoreShape = {
  id: z.string(),
  external_id: z.string(),
  business_id: z.string(),
  paid_out_amount: z.number().int(),
  fee: z.number().int(),
  processor: processorEnum.nullable(),
  payment_clearing_account: AccountSchema.nullable(),
  imported_at: z.string(),
  completed_at: z.string(),
  match: MatchSchema.nullable(),
  ...recordOut,
};
const NestedPayoutSchema = z.object(payoutCoreShape).openapi("LedgerPayoutSummary");

const PaymentSchema = z.object({
  id: z.string(),
  external_id: z.string().nullable(),
  at: z.string(),
  fee: z.number().int(),
  prepayment_account: AccountIdentifierSchema.nullable(),
  payment_clearing_account: AccountSchema.nullable(),
  additional_fees: z.array(
    z.object({
      fee_amount: z.number().int(),
      description: z.string().nullable(),
      account: AccountIdentifierSchema,
      is_passed_to_customer: z.boolean(),
    }),
  ),
  amount: z.number().int(),
  processor: processorEnum.nullable(),
  imported_at: z.string(),
  allocations: z.array(
    z.object({
      invoice_id: z.string().nullable(),
      payment_id: z.string(),
      amount: z.number().int(),
      amount_net_of_refunds: z.number().int(),
      ...recordOut,
    }),
  ),
  refund_allocations: z.array(z.unknown()),
  payouts: z.array(NestedPayoutSchema),
  ...recordOut,
});

const RefundSchema = z.object({
  id: z.string(),
  external_id: z.string().nullable(),
  refunded_amount: z.number().int(),
  status: z.string(),
  completed_at: z.string(),
  is_dedicated: z.boolean(),
  allocations: z.array(z.record(z.string(), z.unknown())),
  payments: z.array(z.record(z.string(), z.unknown())),
  payouts: z.array(NestedPayoutSchema),
  ...recordOut,
});

export const PayoutSchema = z
  .object({
    ...payoutCoreShape,
    payments: z.array(PaymentSchema),
    refunds: z.array(RefundSchema),
    additional_refunds_amount: z.number().int(),
    other_transactions: z.array(z.record(z.string(), z.unknown())),
  })
  .openapi("LedgerPayout", { example: examplePayout });

export const PayoutArraySchema = z.array(PayoutSchema).openapi("LedgerPayoutArray", { example: [examplePayout] });
export const PayoutEnvelopeSchema = z.object({ data: PayoutSchema }).openapi("LedgerPayoutResponse", { example: { data: examplePayout } });
export const PayoutListSchema = z
  .object({ data: z.array(PayoutSchema), meta: pageMetaSchema })
  .openapi("LedgerPayoutList", { example: { data: [examplePayout], meta: { next_cursor: null, limit: 50 } } });

export const payoutListQuery = z.strictObject({
  ...paginationQuery,
  reference_number: z.string().min(1).max(255).optional(),
  external_id: z.string().min(1).max(255).optional(),
  processor: z.enum(ledgerProcessors).optional(),
  completed_after: timestamp.optional().openapi({ description: "completed_at at or after this instant." }),
  completed_before: timestamp.optional().openapi({ description: "completed_at before this instant." }),
  matched: booleanQuery.optional().openapi({ description: "`false`: only payouts without a bank match." }),
});
