import { z } from "@hono/zod-openapi";
import {
  AccountIdentifierSchema,
  cents,
  exampleMetadata,
  nonNegativeCents,
  optionalText,
  positiveCents,
  processorEnum,
  recordFields,
  text,
  timestamp,
} from "./field-schemas";
import { bulkLimit } from "./route-common";

/** A problem with one field of a payment or refund. */
const issue = (ctx: z.RefinementCtx, field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });

const paymentMethod = z.enum(["CREDIT_CARD", "ACH", "CHECK", "CASH", "WIRE", "OTHER"]);

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
    method: paymentMethod.optional(),
    processor: processorEnum.optional().openapi({ description: "Defaults to the payout's processor; must agree with it." }),
    invoice_external_id: text(255).optional(),
    ...recordFields,
  })
  .superRefine((p, ctx) => {
    if (p.amount === undefined) {
      if (p.invoice_payment_id === undefined && p.invoice_payment_external_id === undefined) {
        issue(
          ctx,
          "invoice_payment_id",
          "Reference a payment by invoice_payment_id or invoice_payment_external_id, or create one with amount",
        );
      }
      for (const field of paymentCreateOnly) {
        if (p[field] !== undefined) issue(ctx, field, "Only allowed when creating a payment (with amount)");
      }
    } else {
      if (p.invoice_payment_id !== undefined) issue(ctx, "invoice_payment_id", "A payment created here gets its id from the server");
      if (p.invoice_payment_external_id === undefined) issue(ctx, "invoice_payment_external_id", "Required to create a payment");
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
    method: paymentMethod.optional(),
    processor: processorEnum.optional(),
    ...recordFields,
  })
  .superRefine((r, ctx) => {
    if (r.refunded_amount === undefined) {
      if (!r.refund_payment_id && !r.refund_payment_external_id && !r.refund_id && !r.refund_external_id)
        issue(ctx, "refund_payment_id", "Reference a refund payment or refund by id or external id, or create one with refunded_amount");
      for (const field of refundCreateOnly) {
        if (r[field] !== undefined) issue(ctx, field, "Only allowed when creating a refund (with refunded_amount)");
      }
    } else {
      for (const field of ["refund_id", "refund_payment_id"] as const) {
        if (r[field] !== undefined) issue(ctx, field, "A refund created here gets its ids from the server");
      }
      if (r.refund_external_id === undefined) issue(ctx, "refund_external_id", "Required to create a refund");
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
  metadata: exampleMetadata,
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
