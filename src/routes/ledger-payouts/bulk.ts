import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { type FieldErrors, fieldErrors } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { logError } from "../../lib/log-error";
import { bulkUpsertPayouts } from "../../services/ledger-payouts/bulk";
import type { PayoutIn } from "../../services/ledger-payouts/bulk-types";
import { ownBusiness } from "./business";
import { bulkBody, PayoutInputSchema } from "./payout-input-schemas";
import { PayoutArraySchema } from "./payout-schemas";
import { bulkLimit, businessParam, json, security } from "./route-common";

export const route = createRoute({
  method: "post",
  path: "/{businessId}/payouts/bulk",
  tags: ["Ledger payouts"],
  operationId: "bulkUpsertLedgerPayouts",
  summary: "Bulk create payouts",
  description:
    `Creates or updates 1-${bulkLimit} payouts by \`external_id\` (upsert: a known one is updated and its journal entry replaced). ` +
    "The whole request is validated first: any problem (a duplicate external_id, a payment or refund that does not exist, a processor that disagrees, metadata over 1 KB, a negative fee, amounts that do not balance) is a 400 listing every problem by path, such as `3.payments.0.invoice_payment_id`, and nothing is written. " +
    "The write is split into chunks applied concurrently; if a chunk fails the answer is a 503 naming the applied and failed payouts, and sending the same request again is safe. " +
    "The body may be up to 10 MiB; the answer is streamed. Requires `write:ledger`. `Idempotency-Key` is not needed and not stored: sending the same request again is the retry.",
  security,
  // No stored Idempotency-Key answer here: the upsert by external_id is idempotent by itself,
  // and storing answers of up to tens of MB per key would cost more than running it again.
  middleware: [requireScope("write:ledger")] as const,
  request: { params: businessParam, body: { required: true, content: json(bulkBody) } },
  responses: {
    200: { description: "All payouts were successfully created or updated, in request order.", content: json(PayoutArraySchema) },
    ...errorResponses(400, 401, 403, 404, 413, 415, 503),
  },
});

/** Bench-only knob (a Worker var): rows per chunk, see services/ledger-payouts/chunks.ts. */
function chunkRows(env: unknown): number | undefined {
  const value = Number((env as { LEDGER_CHUNK_ROWS?: string }).LEDGER_CHUNK_ROWS);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  const fields: FieldErrors = {};
  const payouts: { index: number; value: PayoutIn }[] = [];
  c.req.valid("json").forEach((record, index) => {
    const parsed = PayoutInputSchema.safeParse(record);
    if (parsed.success) payouts.push({ index, value: parsed.data as PayoutIn });
    else
      for (const [path, messages] of Object.entries(fieldErrors(parsed.error.issues)))
        fields[path === "_" ? `${index}` : `${index}.${path}`] = messages;
  });
  const { pages } = await bulkUpsertPayouts(c.var.db, businessId, payouts, fields, { chunkRows: chunkRows(c.env) });
  // The first page is read before answering, so a failure there is still a clean 503; a failure
  // on a later page can only cut the stream (every write is committed by then: a retry is safe).
  const first = await pages.next();
  const encoder = new TextEncoder();
  let separator = "[";
  const write = (controller: ReadableStreamDefaultController<Uint8Array>, payouts: unknown[]) => {
    for (const payout of payouts) {
      controller.enqueue(encoder.encode(separator + JSON.stringify(payout)));
      separator = ",";
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) write(controller, first.value);
    },
    async pull(controller) {
      try {
        const next = await pages.next();
        if (next.done) {
          controller.enqueue(encoder.encode(separator === "[" ? "[]" : "]"));
          controller.close();
        } else {
          write(controller, next.value);
        }
      } catch (err) {
        logError(`request ${c.var.requestId}: reading back the payouts failed mid-answer`, err);
        controller.error(err);
      }
    },
  });
  return c.body(body, 200, { "Content-Type": "application/json" }) as never;
};
