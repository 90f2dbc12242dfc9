import { z } from "@hono/zod-openapi";
import { holdStatuses, payeeStatuses, payeeTypes } from "../../../schema/payees";
import { ErrorSchema } from "../../http/openapi";
import { pageMetaSchema, paginationQuery } from "../../http/pagination";
import { acrossFields, nonBlank, text } from "../../http/validation";

/** Most records a batch request may carry. */
export const batchLimit = 100 as const;

export const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { basicAuth: [] }];

/** Examples come from the source page (its contact email was obfuscated there, so ours is made up). */
export const examplePayee = {
  id: "pye_01jz8k6q4m0x3v7e2c5n9r1t8w",
  external_id: "partner_001",
  name: "Northwind Partner",
  type: "affiliate",
  status: "active",
  contact_email: "partners@northwind.example",
  hold_status: "none",
  hold_reason: null,
  default_fallback_percent: "12.50",
  minimum_payout_threshold: "25.00",
  created_at: "2026-01-15T09:30:00.000Z",
  updated_at: "2026-01-15T09:30:00.000Z",
} as const;

/**
 * Decimals travel as strings ("12.50") so that no precision is lost. A plain JSON number is
 * accepted too, but only when its shortest decimal form already has at most 2 places
 * (12.5 is fine, 0.1 + 0.2 is not); the response always carries a string.
 */
function decimal(opts: { max?: number; intDigits: number; description: string; example: string }) {
  return z
    .union([z.string(), z.number()])
    .transform((value, ctx) => {
      const text = typeof value === "number" ? String(value) : value;
      if (/^-/.test(text)) {
        ctx.addIssue({ code: "custom", message: "Must be 0 or more" });
        return z.NEVER;
      }
      const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
      if (!match) {
        ctx.addIssue({ code: "custom", message: 'Must be a decimal string with at most 2 decimal places, like "12.50"' });
        return z.NEVER;
      }
      const intPart = match[1]!.replace(/^0+(?=\d)/, "");
      if (intPart.length > opts.intDigits || (opts.max !== undefined && Number(text) > opts.max)) {
        ctx.addIssue({ code: "custom", message: `Must be at most ${opts.max ?? "9".repeat(opts.intDigits) + ".99"}` });
        return z.NEVER;
      }
      return text;
    })
    .nullable()
    .openapi({
      type: ["string", "null"],
      pattern: "^\\d+(\\.\\d{1,2})?$",
      description: `${opts.description} A decimal string with at most 2 places; a JSON number is accepted when it has at most 2 places, responses always carry a string. null clears it.`,
      example: opts.example,
    });
}

// Every writable field, optional; create and upsert make some of them required.
const fieldShape = {
  external_id: nonBlank(255)
    .nullable()
    .openapi({ description: "Your stable identifier for this payee; unique per business.", example: "partner_001" }),
  name: nonBlank(255).openapi({ description: "Display name, 1-255 characters.", example: "Northwind Partner" }),
  type: z.enum(payeeTypes).openapi({ example: "affiliate" }),
  status: z.enum(payeeStatuses).openapi({ description: "Defaults to `active` on create.", example: "active" }),
  contact_email: z.email().max(254).nullable().openapi({ example: "partners@northwind.example" }),
  hold_status: z
    .enum(holdStatuses)
    .openapi({ description: "Defaults to `none`. Setting `none` clears `hold_reason`.", example: "on_hold" }),
  hold_reason: nonBlank(1000).nullable().openapi({
    description:
      'Why the payee is on hold. Only accepted together with `hold_status: "on_hold"` in the same request; cleared when the hold is released.',
    example: "Missing tax form",
  }),
  default_fallback_percent: decimal({
    max: 100,
    intDigits: 3,
    description: "Fallback percentage for rule workflows, 0-100.",
    example: "12.50",
  }),
  minimum_payout_threshold: decimal({ intDigits: 18, description: "Minimum payout amount, 0 or more.", example: "25.00" }),
};

const optionalFields = {
  external_id: fieldShape.external_id.optional(),
  name: fieldShape.name.optional(),
  type: fieldShape.type.optional(),
  status: fieldShape.status.optional(),
  contact_email: fieldShape.contact_email.optional(),
  hold_status: fieldShape.hold_status.optional(),
  hold_reason: fieldShape.hold_reason.optional(),
  default_fallback_percent: fieldShape.default_fallback_percent.optional(),
  minimum_payout_threshold: fieldShape.minimum_payout_threshold.optional(),
};

const payeeFieldNames = Object.keys(optionalFields) as (keyof typeof optionalFields)[];

type HoldFields = { hold_status?: string; hold_reason?: string | null };

/** A hold reason only makes sense while a hold is being placed, so it must come with one. */
function holdRule(value: HoldFields, ctx: z.RefinementCtx) {
  if (value.hold_reason != null && value.hold_status !== "on_hold") {
    ctx.addIssue({ code: "custom", path: ["hold_reason"], message: 'Only allowed together with hold_status "on_hold"' });
  }
}

/** An update that changes nothing is more likely a client bug than an intent. `key` does not count. */
const atLeastOneField = (key?: string) => (value: object, ctx: z.RefinementCtx) => {
  if (!payeeFieldNames.some((name) => name !== key && name in value)) {
    ctx.addIssue({ code: "custom", path: [], message: "Send at least one field to change" });
  }
};

export const PayeeCreateSchema = z
  .strictObject({ ...optionalFields, name: fieldShape.name, type: fieldShape.type })
  .superRefine(...acrossFields(["hold_status", "hold_reason"], holdRule))
  .openapi("PayeeCreate", {
    example: {
      external_id: "partner_001",
      name: "Northwind Partner",
      type: "affiliate",
      status: "active",
      contact_email: "partners@northwind.example",
    },
  });

export const PayeeUpdateSchema = z
  .strictObject({ ...optionalFields, name: fieldShape.name.optional(), type: fieldShape.type.optional() })
  .superRefine(...acrossFields(["hold_status", "hold_reason"], holdRule))
  .superRefine(...acrossFields([], atLeastOneField()))
  .openapi("PayeeUpdate", { example: { status: "inactive", hold_status: "on_hold", hold_reason: "Missing tax form" } });

const upsertOperations = ["create_only", "update_only", "create_or_update"] as const;

export const PayeeUpsertSchema = z
  .strictObject({
    ...optionalFields,
    external_id: nonBlank(255).openapi({ description: "Which payee to create or update.", example: "partner_001" }),
    operation: z.enum(upsertOperations).openapi({
      description:
        "`create_only`: 409 if a payee has this external_id. `update_only`: 404 if none has. `create_or_update`: either; creating needs `name` and `type`.",
      example: "create_or_update",
    }),
  })
  .superRefine(...acrossFields(["hold_status", "hold_reason"], holdRule))
  .superRefine(...acrossFields([], atLeastOneField("external_id")))
  .superRefine(
    ...acrossFields(["operation", "name", "type"], (value: { operation?: string; name?: unknown; type?: unknown }, ctx) => {
      if (value.operation !== "create_only") return;
      for (const field of ["name", "type"] as const) {
        if (value[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "Required to create a payee" });
      }
    }),
  )
  .openapi("PayeeUpsert", {
    example: { external_id: "partner_001", operation: "create_or_update", name: "Northwind Partner", type: "affiliate", status: "active" },
  });

export const PayeeBatchUpdateRecordSchema = z
  .strictObject({
    ...optionalFields,
    id: text().min(1).max(64).openapi({ description: "The payee to update.", example: examplePayee.id }),
  })
  .superRefine(...acrossFields(["hold_status", "hold_reason"], holdRule))
  .superRefine(...acrossFields([], atLeastOneField()))
  .openapi("PayeeBatchUpdateRecord", { example: { id: examplePayee.id, status: "inactive" } });

export const PayeeSchema = z
  .object({
    id: z.string().openapi({ example: examplePayee.id }),
    external_id: z.string().nullable(),
    name: z.string(),
    type: z.enum(payeeTypes),
    status: z.enum(payeeStatuses),
    contact_email: z.string().nullable(),
    hold_status: z.enum(holdStatuses),
    hold_reason: z.string().nullable(),
    default_fallback_percent: z.string().nullable().openapi({ description: "Decimal string, 2 places, or null.", example: "12.50" }),
    minimum_payout_threshold: z.string().nullable().openapi({ description: "Decimal string, 2 places, or null.", example: "25.00" }),
    created_at: z.string().openapi({ description: "ISO 8601, UTC.", example: examplePayee.created_at }),
    updated_at: z.string().openapi({ description: "ISO 8601, UTC.", example: examplePayee.updated_at }),
  })
  .openapi("Payee", { example: examplePayee });

export type Payee = z.infer<typeof PayeeSchema>;

export const PayeeEnvelopeSchema = z.object({ data: PayeeSchema }).openapi("PayeeResponse", { example: { data: examplePayee } });

export const PayeeListSchema = z
  .object({ data: z.array(PayeeSchema), meta: pageMetaSchema })
  .openapi("PayeeList", { example: { data: [examplePayee], meta: { next_cursor: null, limit: 50 } } });

export const PayeeListQuerySchema = z.object({
  ...paginationQuery,
  status: z.enum(payeeStatuses).optional(),
  type: z.enum(payeeTypes).optional(),
  hold_status: z.enum(holdStatuses).optional(),
  external_id: text().min(1).max(255).optional().openapi({ description: "Exact external_id." }),
  q: text().min(1).max(255).optional().openapi({ description: "Case-insensitive substring of the name.", example: "northwind" }),
});

export const PayeeIdParamSchema = z.object({
  id: text().openapi({ param: { name: "id", in: "path" }, example: examplePayee.id }),
});

/** Payee ids are `pye_` + a lowercase ULID; anything else (like `batch`) cannot exist. */
export const isPayeeId = (id: string) => /^pye_[0-9a-z]{26}$/.test(id);

// The batch body only insists on 1-100 records: each record is validated on its own so that
// one bad record fails alone. The item's documented shape is the per-record schema.
function batchBody(recordSchema: string, example: unknown) {
  // Not an object schema: parsing would copy each record and lose a `__proto__` key, which the
  // record's own schema must see to refuse it.
  const record = z
    .custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "Must be an object")
    .openapi({ type: "object", allOf: [{ $ref: `#/components/schemas/${recordSchema}` }] } as object);
  return z.strictObject({ records: z.array(record).min(1).max(batchLimit) }).openapi({ example });
}

export const PayeeBatchCreateSchema = batchBody("PayeeCreate", {
  records: [{ external_id: "partner_001", name: "Northwind Partner", type: "affiliate" }],
});
export const PayeeBatchUpsertSchema = batchBody("PayeeUpsert", {
  records: [{ external_id: "partner_001", operation: "create_or_update", name: "Northwind Partner", type: "affiliate" }],
});
export const PayeeBatchUpdateSchema = batchBody("PayeeBatchUpdateRecord", { records: [{ id: examplePayee.id, status: "inactive" }] });

export const PayeeBatchResultSchema = z
  .object({
    data: z.array(
      z.union([
        z.object({ index: z.number().int(), success: z.literal(true), status: z.number().int(), response: PayeeEnvelopeSchema }),
        z.object({ index: z.number().int(), success: z.literal(false), status: z.number().int(), error: ErrorSchema.shape.error }),
      ]),
    ),
    meta: z.object({ processed: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), limit: z.literal(batchLimit) }),
  })
  .openapi("PayeeBatchResult", {
    example: {
      data: [{ index: 0, success: true, status: 201, response: { data: examplePayee } }],
      meta: { processed: 1, succeeded: 1, failed: 0, limit: 100 },
    },
  });

export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
