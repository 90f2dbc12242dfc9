import { z } from "@hono/zod-openapi";
import { payoutStatuses } from "../../../schema/payouts";
import { text as storable } from "../../http/validation";
import { minorUnits, toMinor } from "../../services/payouts/money";

export const security: { [scheme: string]: string[] }[] = [{ bearerAuth: [] }, { basicAuth: [] }];

export const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** Token.io's local instruments; the configured rail may support fewer (the others are a 501). */
export const localInstruments = ["SEPA", "SEPA_INSTANT", "FASTER_PAYMENTS", "ELIXIR", "EXPRESS_ELIXIR", "BANKGIRO", "PLUSGIRO"] as const;

const sepa = new Set(["SEPA", "SEPA_INSTANT"]);

export const exampleInitiation = {
  refId: "inv-2026-0001",
  remittanceInformationPrimary: "Invoice 2026-0001",
  remittanceInformationSecondary: "November commission",
  amount: { value: "125.50", currency: "EUR" },
  localInstrument: "SEPA_INSTANT",
  creditor: { name: "Ada Lovelace", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
  onBehalfOfId: "c5a863bc-86f2-4418-a26f-25b24c7983c7",
} as const;

export const examplePayout = {
  id: "pay_01jz8k6q4m0x3v7e2c5n9r1t8w",
  status: "INITIATION_PENDING",
  initiation: exampleInitiation,
  createdDateTime: "2026-11-23T10:15:30.000Z",
  updatedDateTime: "2026-11-23T10:15:30.000Z",
} as const;

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function validIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  let rest = 0;
  for (const ch of iban.slice(4) + iban.slice(0, 4)) {
    const digits = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

// Strings go through `storable` (no NUL, no unpaired surrogate): the database could not store them.
const text = (max: number, description: string) => storable().min(1).max(max).optional().openapi({ description });

const CreditorSchema = z
  .strictObject({
    name: storable().min(1).max(140).openapi({ description: "The account holder's name." }),
    iban: z
      .string()
      .optional()
      .openapi({ description: "SEPA and SEPA_INSTANT: the IBAN, upper case, no spaces; its checksum is verified." }),
    bic: z
      .string()
      .regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, "Must be a BIC of 8 or 11 characters")
      .optional()
      .openapi({ description: "SEPA and SEPA_INSTANT, optional: the bank's BIC." }),
    sortCode: storable().optional().openapi({ description: "FASTER_PAYMENTS: 6 digits, no hyphens.", example: "040004" }),
    accountNumber: storable().optional().openapi({ description: "FASTER_PAYMENTS: 8 digits.", example: "12345678" }),
    bankName: text(140, "The creditor's bank, informational."),
  })
  .openapi("PayoutCreditor");

export const InitiationSchema = z
  .strictObject({
    refId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,18}$/, "Must be 1-18 letters, digits or hyphens")
      .openapi({ description: "The business's reference, unique per business; at most 18 letters, digits and hyphens." }),
    remittanceInformationPrimary: text(140, "Shown to the creditor (1-140 characters)."),
    remittanceInformationSecondary: text(140, "Further remittance information (1-140 characters)."),
    amount: z
      .strictObject({
        value: z.string().openapi({
          description: "A decimal string in major units, > 0, with at most the currency's minor-unit places.",
          example: "125.50",
        }),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, "Must be an ISO 4217 code")
          .openapi({ description: "Must be the business currency.", example: "EUR" }),
      })
      .openapi("PayoutAmount"),
    localInstrument: z.enum(localInstruments),
    creditor: CreditorSchema,
    onBehalfOfId: text(255, "Whom the business pays on behalf of (a sub-merchant, say); filterable."),
    payeeId: text(64, "Disburse extension: the payee this pays; its hold, status and minimum payout threshold are enforced."),
    payoutUserId: text(
      64,
      "Disburse extension: pay from this payout user's balance instead of the business payout balance (a payout user withdrawing).",
    ),
  })
  .superRefine((init, ctx) => {
    const { value, currency } = init.amount;
    const places = minorUnits(currency);
    const minor = /^\d+(\.\d+)?$/.test(value) ? toMinor(value, currency) : undefined;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (!/^\d+(\.\d+)?$/.test(value)) issue(["amount", "value"], 'Must be a decimal string like "125.50"');
    else if (minor === undefined) issue(["amount", "value"], `${currency} allows at most ${places} decimal places`);
    else if (minor <= 0n) issue(["amount", "value"], "Must be greater than 0");
    else if (minor > BigInt(Number.MAX_SAFE_INTEGER)) issue(["amount", "value"], "Too large");

    const c = init.creditor;
    const notUsed = (field: keyof typeof c) => c[field] !== undefined && issue(["creditor", field], `Not used by ${init.localInstrument}`);
    if (sepa.has(init.localInstrument)) {
      if (c.iban === undefined) issue(["creditor", "iban"], `Required for ${init.localInstrument}`);
      else if (!validIban(c.iban)) issue(["creditor", "iban"], "Not a valid IBAN (upper case, no spaces, checksum)");
      notUsed("sortCode");
      notUsed("accountNumber");
    } else if (init.localInstrument === "FASTER_PAYMENTS") {
      if (c.sortCode === undefined) issue(["creditor", "sortCode"], "Required for FASTER_PAYMENTS");
      else if (!/^\d{6}$/.test(c.sortCode)) issue(["creditor", "sortCode"], "Must be 6 digits");
      if (c.accountNumber === undefined) issue(["creditor", "accountNumber"], "Required for FASTER_PAYMENTS");
      else if (!/^\d{8}$/.test(c.accountNumber)) issue(["creditor", "accountNumber"], "Must be 8 digits");
      notUsed("iban");
      notUsed("bic");
    }
  })
  .openapi("PayoutInitiation", { example: exampleInitiation });

export type Initiation = z.infer<typeof InitiationSchema>;

export const InitiateBody = z.strictObject({ initiation: InitiationSchema }).openapi({ example: { initiation: exampleInitiation } });

export const PayoutSchema = z
  .object({
    id: z.string().openapi({ example: examplePayout.id }),
    status: z.enum(payoutStatuses),
    statusReasonInformation: z.string().optional().openapi({ description: "Why the payout is in its status, when the rail said." }),
    initiation: InitiationSchema,
    createdDateTime: z.string().openapi({ format: "date-time" }),
    updatedDateTime: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Payout", { example: examplePayout });

export const PayoutEnvelopeSchema = z.object({ payout: PayoutSchema }).openapi("PayoutResponse", { example: { payout: examplePayout } });

export const PagingSchema = z
  .object({
    limit: z.number().int(),
    offset: z.string().nullable().openapi({ description: "The offset this page was asked for." }),
    nextOffset: z.string().nullable().openapi({ description: "Pass as `offset` for the next page; null on the last page." }),
    haveMore: z.boolean(),
  })
  .openapi("Paging");

export const PayoutListSchema = z.object({ payouts: z.array(PayoutSchema), paging: PagingSchema }).openapi("PayoutList", {
  example: { payouts: [examplePayout], paging: { limit: 10, offset: null, nextOffset: null, haveMore: false } },
});

/** A query parameter that may repeat (`ids=a&ids=b`): Hono hands one value as a string, several as an array. */
function repeatable<T extends z.ZodType<string>>(item: T, description: string, example: string) {
  return z
    .preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item).min(1).max(200).optional())
    .openapi({ description, param: { style: "form", explode: true }, example: [example] } as object);
}

const booleanParam = (description: string) =>
  z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .openapi({ description, type: "boolean" } as object);

const dateParam = (description: string, example: string) =>
  z
    .string()
    .refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "Must be a date as YYYY-MM-DD")
    .optional()
    .openapi({ description, example, format: "date" });

export const listQuerySchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(200).openapi({ description: "Required: the page size, 1-200.", example: 10 }),
    offset: z.string().min(1).max(200).optional().openapi({ description: "`paging.nextOffset` of the previous page (opaque)." }),
    startDate: dateParam("Created on or after this UTC date (YYYY-MM-DD).", "2026-01-01"),
    endDate: dateParam("Created on or before this UTC date (YYYY-MM-DD), inclusive.", "2026-12-31"),
    ids: repeatable(z.string().min(1).max(64), "Only these payout ids (repeat the parameter for more).", examplePayout.id),
    invertIds: booleanParam("With `ids`: every payout except those."),
    statuses: repeatable(z.enum(payoutStatuses), "Only payouts in these statuses (repeatable).", "INITIATION_COMPLETED"),
    invertStatuses: booleanParam("With `statuses`: payouts in every other status."),
    refIds: repeatable(z.string().min(1).max(18), "Only payouts with these refIds (repeatable).", exampleInitiation.refId),
    onBehalfOfId: z.string().min(1).max(255).optional().openapi({ description: "Only payouts made on behalf of this id." }),
  })
  .superRefine((q, ctx) => {
    if (q.startDate && q.endDate && q.startDate > q.endDate) {
      ctx.addIssue({ code: "custom", path: ["startDate"], message: "Must not be after endDate" });
    }
    if (q.invertIds && !q.ids) ctx.addIssue({ code: "custom", path: ["invertIds"], message: "Needs ids" });
    if (q.invertStatuses && !q.statuses) ctx.addIssue({ code: "custom", path: ["invertStatuses"], message: "Needs statuses" });
  });

export const payoutIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: examplePayout.id }),
});

/** Payout ids are `pay_` + a lowercase ULID; anything else cannot exist. */
export const isPayoutId = (id: string) => /^pay_[0-9a-z]{26}$/.test(id);
