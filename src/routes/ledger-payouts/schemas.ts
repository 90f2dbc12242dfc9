import { z } from "@hono/zod-openapi";
import { bankDirections, ledgerProcessors } from "../../../schema/ledger-payouts";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { isStorable, unstorableMessage } from "../../http/validation";

/** Most payouts (and bank transactions) one bulk request may carry. */
export const bulkLimit = 1000 as const;
/** `metadata` may be at most this many bytes as UTF-8 JSON. */
export const metadataLimitBytes = 1024;

export const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { basicAuth: [] }];
export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

// Cents, as the page says; kept inside the range a JSON number holds exactly.
const maxCents = Number.MAX_SAFE_INTEGER;
const cents = z.number().int("Must be an integer number of cents").min(-maxCents).max(maxCents);
const nonNegativeCents = z.number().int("Must be an integer number of cents").min(0, "Must be 0 or more (a positive value)").max(maxCents);
const positiveCents = z.number().int("Must be an integer number of cents").min(1, "Must be more than 0").max(maxCents);
const timestamp = z.iso.datetime({ offset: true, message: "Must be an ISO 8601 timestamp, like 2023-11-07T05:31:56Z" });
// Strings the database cannot store (NUL, unpaired surrogates) are a 400 here, not a failed write.
const storable = z.string().refine(isStorable, unstorableMessage);
const text = (max: number) => storable.min(1).max(max);
const optionalText = (max: number) => storable.max(max).nullable().optional();

/** Whether every string in a JSON value, keys included, can be stored in jsonb. */
const storableJson = (value: unknown): boolean =>
  typeof value === "string"
    ? isStorable(value)
    : Array.isArray(value)
      ? value.every(storableJson)
      : value !== null && typeof value === "object"
        ? Object.entries(value).every(([k, v]) => isStorable(k) && storableJson(v))
        : true;

export const processorEnum = z.enum(ledgerProcessors).openapi({ example: "STRIPE" });

export const AccountIdentifierSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("AccountId"), id: text(64) }),
    z.strictObject({ type: z.literal("StableName"), stable_name: text(100) }),
  ])
  .openapi("AccountIdentifier", { example: { type: "StableName", stable_name: "UNDEPOSITED_FUNDS" } });

export const MetadataSchema = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    if (!storableJson(value)) {
      ctx.addIssue({ code: "custom", message: unstorableMessage });
      return;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
    if (bytes > metadataLimitBytes) {
      ctx.addIssue({ code: "custom", message: `Must be at most ${metadataLimitBytes} bytes serialized as JSON; this is ${bytes}` });
    }
  })
  .nullable()
  .optional()
  .openapi({
    description: "Arbitrary custom metadata in JSON format with a size limit of 1KB (serialized, UTF-8).",
    example: { custom_field: "value", "any valid json": "below 1kb", nested: { "meaning of life": 42, array: [] } },
  });

const recordFields = { memo: optionalText(4000), metadata: MetadataSchema, reference_number: optionalText(255) };

const paymentCreateOnly = [
  "fee",
  "completed_at",
  "method",
  "processor",
  "invoice_external_id",
  "memo",
  "metadata",
  "reference_number",
] as const;

export const PayoutPaymentSchema = z
  .strictObject({
    invoice_payment_id: text(64).optional().openapi({ description: "An existing payment, by id." }),
    invoice_payment_external_id: text(255)
      .optional()
      .openapi({ description: "An existing payment by external id, or the external id of a payment to create." }),
    amount: positiveCents
      .optional()
      .openapi({ description: "Creates (or, on a retry, updates) the payment `invoice_payment_external_id` with its own new invoice." }),
    fee: nonNegativeCents.optional(),
    completed_at: timestamp.optional().openapi({ description: "Defaults to the payout's completed_at." }),
    method: z.enum(["CREDIT_CARD", "ACH", "CHECK", "CASH", "WIRE", "OTHER"]).optional(),
    processor: processorEnum.optional().openapi({ description: "Defaults to the payout's processor; must agree with it." }),
    invoice_external_id: text(255).optional(),
    ...recordFields,
  })
  .superRefine((p, ctx) => {
    if (p.amount === undefined) {
      if (p.invoice_payment_id === undefined && p.invoice_payment_external_id === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["invoice_payment_id"],
          message: "Reference a payment by invoice_payment_id or invoice_payment_external_id, or create one with amount",
        });
      }
      for (const field of paymentCreateOnly) {
        if (p[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: "Only allowed when creating a payment (with amount)" });
      }
    } else {
      if (p.invoice_payment_id !== undefined)
        ctx.addIssue({ code: "custom", path: ["invoice_payment_id"], message: "A payment created here gets its id from the server" });
      if (p.invoice_payment_external_id === undefined)
        ctx.addIssue({ code: "custom", path: ["invoice_payment_external_id"], message: "Required to create a payment" });
    }
  })
  .openapi("LedgerPayoutPaymentInput", {
    description:
      "Reference existing payment (`invoice_payment_id` and/or `invoice_payment_external_id`), or create new payment and invoice (`invoice_payment_external_id` + `amount`).",
    example: { invoice_payment_external_id: "payment-31415", amount: 369 },
  });

const refundCreateOnly = ["fee", "completed_at", "method", "processor", "memo", "metadata", "reference_number"] as const;

export const PayoutRefundSchema = z
  .strictObject({
    refund_payment_id: text(64).optional(),
    refund_payment_external_id: text(255).optional(),
    refund_id: text(64).optional(),
    refund_external_id: text(255)
      .optional()
      .openapi({ description: "An existing refund by external id, or the external id of a refund to create." }),
    refunded_amount: positiveCents
      .optional()
      .openapi({ description: "Creates (or, on a retry, updates) the refund `refund_external_id` with its one refund payment." }),
    fee: nonNegativeCents.optional(),
    completed_at: timestamp.optional(),
    method: z.enum(["CREDIT_CARD", "ACH", "CHECK", "CASH", "WIRE", "OTHER"]).optional(),
    processor: processorEnum.optional(),
    ...recordFields,
  })
  .superRefine((r, ctx) => {
    if (r.refunded_amount === undefined) {
      if (!r.refund_payment_id && !r.refund_payment_external_id && !r.refund_id && !r.refund_external_id) {
        ctx.addIssue({
          code: "custom",
          path: ["refund_payment_id"],
          message: "Reference a refund payment or refund by id or external id, or create one with refunded_amount",
        });
      }
      for (const field of refundCreateOnly) {
        if (r[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: "Only allowed when creating a refund (with refunded_amount)" });
      }
    } else {
      for (const field of ["refund_id", "refund_payment_id"] as const) {
        if (r[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: "A refund created here gets its ids from the server" });
      }
      if (r.refund_external_id === undefined)
        ctx.addIssue({ code: "custom", path: ["refund_external_id"], message: "Required to create a refund" });
    }
  })
  .openapi("LedgerPayoutRefundInput", {
    description:
      "Reference existing refund payment (by refund payment or refund id / external id), or create new refund with payment (`refund_external_id` + `refunded_amount`).",
    example: { refund_external_id: "refund-271", refunded_amount: 50 },
  });

export const OtherTransactionSchema = z.strictObject({
  amount: cents.openapi({
    description: "Cents this transaction took out of the payout (debited to `account`); negative if it added to it.",
  }),
  account: AccountIdentifierSchema,
  description: optionalText(1000),
  external_id: optionalText(255),
});

export const TagInputSchema = z.strictObject({
  key: text(255),
  value: text(255),
  dimension_display_name: optionalText(255),
  value_display_name: optionalText(255),
});

export const examplePayoutInput = {
  external_id: "payout-1234",
  paid_out_amount: 123,
  fee: 123,
  completed_at: "2023-11-07T05:31:56Z",
  payments: [{ invoice_payment_id: "ipy_01jd5m3k6v2q8r9t0w1x2y3z4a", invoice_payment_external_id: "payment-31415" }],
  additional_refunds_amount: 0,
  processor: "STRIPE",
  payment_clearing_account_identifier: { type: "StableName", stable_name: "UNDEPOSITED_FUNDS" },
  refunds: [],
  other_transactions: [
    {
      amount: 123,
      account: { type: "StableName", stable_name: "PAYMENT_PROCESSING_FEES" },
      description: "Dispute fee",
      external_id: "adj-1",
    },
  ],
  tags: [{ key: "department", value: "sales", dimension_display_name: "Department", value_display_name: "Sales Department" }],
  memo: "November payout",
  metadata: { custom_field: "value", "any valid json": "below 1kb", nested: { "meaning of life": 42, array: [] } },
  reference_number: "po_1OqnTHISISFAKE",
};

export const PayoutInputSchema = z
  .strictObject({
    external_id: text(255)
      .refine((s) => s.trim().length > 0, "Must not be blank")
      .openapi({ description: "Unique ID of the payout in your system; the upsert key.", example: "payout-1234" }),
    paid_out_amount: cents.openapi({ description: "The amount of the payout, in cents. Negative if refunds and fees exceed payments." }),
    fee: nonNegativeCents.default(0).openapi({ description: "The platform fee, a positive value in cents." }),
    completed_at: timestamp,
    payments: z.array(PayoutPaymentSchema).max(1000).default([]),
    additional_refunds_amount: nonNegativeCents.default(0),
    processor: processorEnum.nullable().optional(),
    payment_clearing_account_identifier: AccountIdentifierSchema.nullable().optional(),
    refunds: z.array(PayoutRefundSchema).max(1000).default([]),
    other_transactions: z.array(OtherTransactionSchema).max(100).default([]),
    tags: z.array(TagInputSchema).max(50).default([]),
    ...recordFields,
  })
  .openapi("LedgerPayoutInput", { example: examplePayoutInput });
export type PayoutInput = z.output<typeof PayoutInputSchema>;

// The body only insists on an array of 1-1,000 objects: every payout is validated on its own so
// that the 400 lists every problem of every payout, by path ("3.payments.0.amount").
export const bulkBody = z
  .array(z.looseObject({}).openapi({ allOf: [{ $ref: "#/components/schemas/PayoutInput" }] } as object))
  .min(1)
  .max(bulkLimit)
  .openapi({ example: [examplePayoutInput] });

// ---- responses -----------------------------------------------------------------------------

const exampleAccount = {
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

const exampleTag = {
  id: "ttg_01jd5m3k6v2q8r9t0w1x2y3z4a",
  key: "department",
  value: "sales",
  dimension_id: null,
  definition_id: null,
  dimension_display_name: "Department",
  value_display_name: "Sales Department",
  archived_at: null,
};
const exampleMetadata = { custom_field: "value", "any valid json": "below 1kb", nested: { "meaning of life": 42, array: [] } };
const exampleMatch = {
  id: "pmt_01jd5m3k6v2q8r9t0w1x2y3z4a",
  match_type: "PAYOUT",
  bank_transaction: exampleBankTransaction,
  details: {
    type: "Payout_Match",
    id: "pmd_01jd5m3k6v2q8r9t0w1x2y3z4a",
    amount: 87459,
    date: "2024-03-06T00:00:00.000Z",
    description: "Payout from STRIPE.",
    adjustment: null,
  },
};
const examplePayoutSummary = {
  id: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a",
  external_id: "payout-1234",
  business_id: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a",
  paid_out_amount: 87459,
  fee: 123,
  processor: "STRIPE",
  payment_clearing_account: exampleAccount,
  imported_at: "2024-03-05T22:09:53.290Z",
  completed_at: "2024-03-05T05:31:56.000Z",
  match: exampleMatch,
  transaction_tags: [exampleTag],
  memo: "March payout",
  metadata: exampleMetadata,
  reference_number: "po_1OqnTHISISFAKE",
};
export const examplePayout = {
  ...examplePayoutSummary,
  additional_refunds_amount: 0,
  other_transactions: [],
  payments: [
    {
      id: "ipy_01jd5m3k6v2q8r9t0w1x2y3z4a",
      external_id: "payment-31415",
      at: "2024-03-04T05:31:56.000Z",
      fee: 0,
      prepayment_account: null,
      payment_clearing_account: {
        ...exampleAccount,
        name: "Accounts Receivable",
        account_number: "1200",
        stable_name: { type: "StableName", stable_name: "ACCOUNTS_RECEIVABLE" },
        account_subtype: { display_name: "Accounts Receivable" },
      },
      additional_fees: [],
      amount: 87582,
      processor: "STRIPE",
      imported_at: "2024-03-05T22:09:53.290Z",
      allocations: [
        {
          invoice_id: "inv_01jd5m3k6v2q8r9t0w1x2y3z4a",
          payment_id: "ipy_01jd5m3k6v2q8r9t0w1x2y3z4a",
          amount: 87582,
          amount_net_of_refunds: 87582,
          transaction_tags: [],
          memo: null,
          metadata: null,
          reference_number: null,
        },
      ],
      refund_allocations: [],
      payouts: [examplePayoutSummary],
      transaction_tags: [],
      memo: null,
      metadata: null,
      reference_number: null,
    },
  ],
  refunds: [],
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
  transaction_tags: z.array(TransactionTagSchema),
  memo: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  reference_number: z.string().nullable(),
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
      transaction_tags: z.array(TransactionTagSchema),
      memo: z.string().nullable(),
      metadata: z.record(z.string(), z.unknown()).nullable(),
      reference_number: z.string().nullable(),
    }),
  ),
  refund_allocations: z.array(z.unknown()),
  payouts: z.array(NestedPayoutSchema),
  transaction_tags: z.array(TransactionTagSchema),
  memo: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  reference_number: z.string().nullable(),
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
  transaction_tags: z.array(TransactionTagSchema),
  memo: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  reference_number: z.string().nullable(),
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

export const businessParam = z.object({
  businessId: z.string().openapi({ param: { name: "businessId", in: "path" }, example: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
});
export const payoutParam = businessParam.extend({
  payoutId: z.string().openapi({ param: { name: "payoutId", in: "path" }, example: "lpo_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
});

const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");

export const payoutListQuery = z.strictObject({
  ...paginationQuery,
  reference_number: z.string().min(1).max(255).optional(),
  external_id: z.string().min(1).max(255).optional(),
  processor: z.enum(ledgerProcessors).optional(),
  completed_after: timestamp.optional().openapi({ description: "completed_at at or after this instant." }),
  completed_before: timestamp.optional().openapi({ description: "completed_at before this instant." }),
  matched: booleanQuery.optional().openapi({ description: "`false`: only payouts without a bank match." }),
});

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
  .openapi("BankTransactionInput", {
    example: {
      source: "STRIPE",
      source_transaction_id: "trxn_1sdOeLQiFAKE2LQBkcvrJw95f",
      source_account_id: "738ec216-e154-48f2-1111-cdc89c96b3d4",
      account_name: "Layer Banking",
      date: "2024-03-06T06:06:40Z",
      direction: "CREDIT",
      amount: 87459,
      counterparty_name: null,
      description: "Payout (po_1OqnTHISISFAKEiTVBkCiyAERwm).",
    },
  });
export type BankTransactionInput = z.output<typeof BankTransactionInputSchema>;

export const bankBulkBody = z
  .array(BankTransactionInputSchema)
  .min(1)
  .max(bulkLimit)
  .openapi({
    example: [
      {
        source: "STRIPE",
        source_transaction_id: "trxn_1sdOeLQiFAKE2LQBkcvrJw95f",
        source_account_id: "738ec216-e154-48f2-1111-cdc89c96b3d4",
        account_name: "Layer Banking",
        date: "2024-03-06T06:06:40Z",
        direction: "CREDIT",
        amount: 87459,
        counterparty_name: null,
        description: "Payout (po_1OqnTHISISFAKEiTVBkCiyAERwm).",
      },
    ],
  });

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
