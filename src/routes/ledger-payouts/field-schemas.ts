import { z } from "@hono/zod-openapi";
import { ledgerProcessors } from "../../../schema/ledger-payouts";
import { isStorable, unstorableMessage } from "../../http/validation";

// The field validators the ledger-payouts bodies and queries are built from.

/** `metadata` may be at most this many bytes as UTF-8 JSON. */
export const metadataLimitBytes = 1024;

// Cents, as the page says; kept inside the range a JSON number holds exactly.
const maxCents = Number.MAX_SAFE_INTEGER;
export const cents = z.number().int("Must be an integer number of cents").min(-maxCents).max(maxCents);
export const nonNegativeCents = z
  .number()
  .int("Must be an integer number of cents")
  .min(0, "Must be 0 or more (a positive value)")
  .max(maxCents);
export const positiveCents = z.number().int("Must be an integer number of cents").min(1, "Must be more than 0").max(maxCents);
export const timestamp = z.iso.datetime({ offset: true, message: "Must be an ISO 8601 timestamp, like 2023-11-07T05:31:56Z" });
// Strings the database cannot store (NUL, unpaired surrogates) are a 400 here, not a failed write.
const storable = z.string().refine(isStorable, unstorableMessage);
export const text = (max: number) => storable.min(1).max(max);
export const optionalText = (max: number) => storable.max(max).nullable().optional();

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

export const exampleMetadata = { custom_field: "value", "any valid json": "below 1kb", nested: { "meaning of life": 42, array: [] } };

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
    example: exampleMetadata,
  });

export const recordFields = { memo: optionalText(4000), metadata: MetadataSchema, reference_number: optionalText(255) };

export const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");
