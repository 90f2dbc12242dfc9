import { z } from "@hono/zod-openapi";
import { canceledByValues, payoutRequestStatuses } from "../../../schema/payout-requests";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { allocationMethods, gatewayNames, linkRels, transactionResults } from "../../services/payout-requests/vocabulary";

export const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { basicAuth: [] }];

export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

function isHttpUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

const exampleTime = "2026-03-02T10:15:00.000Z";

/** A request as the API shows it; PUT it back unchanged and nothing changes. */
export const examplePayoutRequest = {
  id: "payout-req-42",
  websiteId: "web_main",
  customerId: "cus_8f3a",
  currency: "USD",
  amount: 150.75,
  availableAmount: 50.75,
  status: "partially-fulfilled",
  description: "Winnings withdrawal",
  batchId: null,
  paymentInstrumentId: "inst_visa_4242",
  selectPaymentInstrumentUrl: null,
  selectedPaymentInstrumentRedirectUrl: "https://shop.example/payouts/{{id}}",
  blocked: false,
  blockReason: null,
  cancellationReason: null,
  allocations: [
    {
      transactionId: "txn_01",
      amount: 100,
      currency: "USD",
      transactionResult: "approved",
      method: "payment-card",
      gatewayName: "Stripe",
      paymentInstrumentId: "inst_visa_4242",
      createdTime: exampleTime,
      updatedTime: exampleTime,
    },
  ],
  createdTime: exampleTime,
  updatedTime: exampleTime,
  _links: [
    { rel: "self", href: "/api/v1/payout-requests/payout-req-42" },
    { rel: "paymentInstrument", href: "/api/v1/payment-instruments/inst_visa_4242" },
  ],
} as const;

/** `.strict()` whose message names each refused key (the envelope files it under each key). */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys" ? `Unknown field${iss.keys.length > 1 ? "s" : ""}: ${iss.keys.join(", ")}.` : undefined,
  });
}

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, "Must not be blank");

const timeClaim = z
  .string()
  .max(64)
  .nullable()
  .optional()
  .openapi({ description: "Set by the server (ISO 8601, UTC); may be sent back unchanged." });

const amountNumber = z
  .number()
  .openapi({ description: "A JSON number with at most the currency's minor-unit places (2 for USD, 0 for JPY, 3 for KWD)." });

const AllocationInputSchema = strictObject({
  transactionId: text(255).openapi({ description: "The credit transaction; unique within the payout request.", example: "txn_01" }),
  amount: amountNumber.openapi({ example: 100 }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullable()
    .optional()
    .openapi({ description: "The payout request's currency (the default).", example: "USD" }),
  transactionResult: z.enum(transactionResults).openapi({ example: "approved" }),
  method: z.enum(allocationMethods).nullable().optional().openapi({ example: "payment-card" }),
  gatewayName: z.enum(gatewayNames).nullable().optional().openapi({ example: "Stripe" }),
  paymentInstrumentId: text(255).nullable().optional(),
  createdTime: timeClaim,
  updatedTime: timeClaim,
});

const maxAllocations = 500;

export const PayoutRequestPutSchema = strictObject({
  id: z.string().nullable().optional().openapi({ description: "Set from the path; may be sent back unchanged." }),
  websiteId: text(255).openapi({ example: "web_main" }),
  customerId: text(255).openapi({ example: "cus_8f3a" }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "Must be an ISO 4217 currency code, like USD")
    .openapi({ example: "USD" }),
  amount: amountNumber.openapi({ example: 150.75 }),
  description: z.string().max(1000).nullable().optional(),
  batchId: text(255).nullable().optional(),
  paymentInstrumentId: text(255).nullable().optional().openapi({ description: "Makes a pending request `instrument-selected`." }),
  selectedPaymentInstrumentRedirectUrl: z
    .string()
    .max(2048)
    .refine(isHttpUrl, "Must be an http(s) URL")
    .nullable()
    .optional()
    .openapi({ description: "Where the customer goes once an instrument is selected; `{{id}}` stands for the request id." }),
  blocked: z.boolean().nullable().optional().openapi({ description: "`true` needs `blockReason`." }),
  blockReason: strictObject({ description: text(1000) })
    .nullable()
    .optional()
    .openapi({ description: "Only with `blocked: true`." }),
  status: z.enum(payoutRequestStatuses).nullable().optional().openapi({
    description: "Derived by the server; the client may only set `canceled` (with `cancellationReason`), or send the current value back.",
  }),
  cancellationReason: strictObject({
    description: z.string().max(1000).nullable().optional(),
    canceledBy: z.enum(canceledByValues).nullable().optional().openapi({ description: "Defaults to `customer`." }),
  })
    .nullable()
    .optional()
    .openapi({ description: 'Only with `status: "canceled"`.' }),
  allocations: z
    .array(AllocationInputSchema)
    .max(maxAllocations)
    .nullable()
    .optional()
    .openapi({ description: "The full list: an allocation left out is removed (an approved one cannot be)." }),
  availableAmount: z.number().nullable().optional().openapi({ description: "Set by the server; may be sent back unchanged." }),
  createdTime: timeClaim,
  updatedTime: timeClaim,
  selectPaymentInstrumentUrl: z.string().nullable().optional().openapi({ description: "Set by the server (always null)." }),
  _links: z
    .array(z.object({ rel: z.string(), href: z.string() }))
    .nullable()
    .optional()
    .openapi({ description: "Set by the server; may be sent back unchanged." }),
}).openapi("PayoutRequestPut", {
  example: {
    websiteId: "web_main",
    customerId: "cus_8f3a",
    currency: "USD",
    amount: 150.75,
    description: "Winnings withdrawal",
    paymentInstrumentId: "inst_visa_4242",
    allocations: [{ transactionId: "txn_01", amount: 100, transactionResult: "approved", method: "payment-card", gatewayName: "Stripe" }],
  },
});

const AllocationSchema = z.object({
  transactionId: z.string(),
  amount: z.number(),
  currency: z.string(),
  transactionResult: z.enum(transactionResults),
  method: z.enum(allocationMethods).nullable(),
  gatewayName: z.enum(gatewayNames).nullable(),
  paymentInstrumentId: z.string().nullable(),
  createdTime: z.string(),
  updatedTime: z.string(),
});

export const PayoutRequestSchema = z
  .object({
    id: z.string(),
    websiteId: z.string(),
    customerId: z.string(),
    currency: z.string(),
    amount: z.number(),
    availableAmount: z.number().openapi({ description: "`amount` minus the `approved` and `unknown` allocations." }),
    status: z.enum(payoutRequestStatuses),
    description: z.string().nullable(),
    batchId: z.string().nullable(),
    paymentInstrumentId: z.string().nullable(),
    selectPaymentInstrumentUrl: z.string().nullable(),
    selectedPaymentInstrumentRedirectUrl: z.string().nullable(),
    blocked: z.boolean(),
    blockReason: z.object({ description: z.string() }).nullable(),
    cancellationReason: z.object({ description: z.string().nullable(), canceledBy: z.enum(canceledByValues) }).nullable(),
    allocations: z.array(AllocationSchema),
    createdTime: z.string(),
    updatedTime: z.string(),
    _links: z.array(z.object({ rel: z.enum(linkRels), href: z.string() })),
  })
  .openapi("PayoutRequest", { example: examplePayoutRequest });

export const PayoutRequestListSchema = z
  .object({ data: z.array(PayoutRequestSchema), meta: pageMetaSchema })
  .openapi("PayoutRequestList", { example: { data: [examplePayoutRequest], meta: { next_cursor: null, limit: 50 } } });

export const listQuerySchema = strictObject({
  ...paginationQuery,
  status: z.enum(payoutRequestStatuses).optional(),
  customerId: z.string().min(1).max(255).optional(),
  websiteId: z.string().min(1).max(255).optional(),
  batchId: z.string().min(1).max(255).optional(),
});

export const idParam = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, '-' or '_'")
    .openapi({ param: { name: "id", in: "path" }, example: examplePayoutRequest.id }),
});

export const etagHeader = {
  ETag: { schema: { type: "string" as const }, description: "The request's version; send it as `If-Match` to update only that version." },
};

export const ifMatchHeader = z.object({
  "if-match": z
    .string()
    .optional()
    .openapi({ description: 'An ETag from an earlier answer (`"3"`), or `*`: apply the PUT only to that version.', example: '"3"' }),
});

export const ifNoneMatchHeader = z.object({
  "if-none-match": z
    .string()
    .optional()
    .openapi({ description: "An ETag from an earlier answer: a 304 while it is still current.", example: '"3"' }),
});
