import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { type AuthedEnv, requireScope } from "../../http/auth";
import { ApiError, errorBody, fieldErrors } from "../../http/errors";
import { idempotencyHeaders, idempotencyKey, idempotent } from "../../http/idempotency";
import { ErrorSchema, errorResponses } from "../../http/openapi";
import { ledgerFor } from "../../ledger/client";
import type { PayoutInitiationRequest, PayoutOutcome } from "../../ledger/types";
import { lifecycleConfig } from "../../services/payout-lifecycle/config";
import { handOffAfterCommit } from "../../services/payout-lifecycle/hand-off";
import type { PayoutRecord } from "../../services/payouts/initiate";
import { prepareInitiation } from "../../services/payouts/prepare";
import { findIdenticalPayouts } from "../../services/payouts/read";
import { presentPayout } from "./present";
import { exampleInitiation, examplePayout, InitiationSchema, json, PayoutSchema, security } from "./schemas";

export const batchLimit = 1000;

const BatchBody = z
  .strictObject({
    initiations: z
      .array(z.unknown().openapi({ $ref: "#/components/schemas/PayoutInitiation" } as object))
      .min(1, "Send 1 to 1000 initiations")
      .max(batchLimit, "Send 1 to 1000 initiations")
      .openapi({
        description: "1 to 1,000 initiations, each shaped like POST /api/v1/payouts's `initiation`; each is validated on its own.",
      }),
  })
  .openapi("PayoutBatchRequest", { example: { initiations: [exampleInitiation] } });

const BatchItemSchema = z
  .object({
    index: z.number().int(),
    success: z.boolean(),
    status: z.number().int().openapi({ description: "The HTTP status this initiation alone would have had." }),
    payout: PayoutSchema.optional(),
    error: ErrorSchema.shape.error.optional(),
  })
  .openapi("PayoutBatchItem");

const BatchResultSchema = z
  .object({
    data: z.array(BatchItemSchema),
    meta: z.object({ processed: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), limit: z.literal(batchLimit) }),
  })
  .openapi("PayoutBatchResult", {
    example: {
      data: [{ index: 0, success: true, status: 200, payout: examplePayout }],
      meta: { processed: 1, succeeded: 1, failed: 0, limit: batchLimit },
    },
  });

type Item = z.infer<typeof BatchItemSchema>;

export const route = createRoute({
  method: "post",
  path: "/batch",
  operationId: "initiatePayoutBatch",
  tags: ["Payouts"],
  summary: "Initiate payouts in batch",
  description:
    "Up to 1,000 initiations, each answered on its own (`index`, `success`, `status`, and `payout` or `error`): one bad record never " +
    "fails the others. Every accepted one is held through the business's BalanceLedger in one group commit (one statement), then " +
    "handed to the rail. An empty batch or one over 1,000 is a 400 for the whole request. Requires `write:payouts`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:payouts"), idempotent] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: json(BatchBody) },
  },
  responses: {
    200: { description: "One result per initiation, in order", content: json(BatchResultSchema) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = c.var.auth.businessId;
  const items: Item[] = [];
  const fail = (index: number, err: ApiError) =>
    (items[index] = { index, success: false, status: err.status, error: errorBody(err, c.var.requestId).error });

  const accepted: { index: number; request: PayoutInitiationRequest }[] = [];
  c.req.valid("json").initiations.forEach((record, index) => {
    const parsed = InitiationSchema.safeParse(record);
    if (!parsed.success)
      return fail(index, new ApiError("validation_error", "The initiation has invalid fields.", fieldErrors(parsed.error.issues)));
    const prepared = prepareInitiation(parsed.data);
    if (!prepared.ok)
      return fail(index, new ApiError(prepared.code, prepared.message, { localInstrument: ["Not supported by the payout rail"] }));
    accepted.push({ index, request: prepared.request });
  });

  if (accepted.length) {
    // One ledger call: its initiations are decided in order and written in one group commit.
    const outcomes = await ledgerFor(c.env, businessId).initiate(accepted.map((a) => a.request));
    const own = await ownEarlierAttempts(c, businessId, accepted, outcomes);
    const handed: { businessId: string; payoutId: string }[] = [];
    outcomes.forEach((outcome, i) => {
      const { index, request } = accepted[i]!;
      if (!outcome.ok && !own.has(request.refId)) return fail(index, new ApiError(outcome.code, outcome.message, outcome.fields));
      const payout = outcome.ok ? outcome.payout : own.get(request.refId)!;
      own.delete(request.refId); // answered once: the same refId later in the batch stays a duplicate
      items[index] = { index, success: true, status: 200, payout: presentPayout(payout) };
      handed.push({ businessId, payoutId: payout.id });
    });
    // Pieces of 100 messages, at most 6 sends at once; a lost hand-off is found by the cron.
    await handOffAfterCommit(c.env, handed, lifecycleConfig(c.env).RAIL_MAX_CONNECTIONS);
  }

  const data = items.filter(Boolean);
  const succeeded = data.filter((i) => i.success).length;
  return c.json(
    { data, meta: { processed: data.length, succeeded, failed: data.length - succeeded, limit: batchLimit as typeof batchLimit } },
    200,
  );
};

/**
 * With an Idempotency-Key, an initiation refused `duplicate_ref_id` whose refId holds exactly this
 * initiation is the request's own earlier attempt, written although it was answered 503 (a
 * restarted ledger): it is answered as written. Not for a refId this same call wrote (an initiation
 * sent twice in one batch stays a duplicate). One read, only when there is such a refusal.
 */
async function ownEarlierAttempts(
  c: Context<AuthedEnv>,
  businessId: string,
  accepted: { request: PayoutInitiationRequest }[],
  outcomes: PayoutOutcome[],
): Promise<Map<string, PayoutRecord>> {
  if (idempotencyKey(c) === undefined) return new Map();
  const writtenNow = new Set(outcomes.flatMap((o) => (o.ok ? [o.payout.refId] : [])));
  const taken = accepted.filter((a, i) => {
    const o = outcomes[i]!;
    return !o.ok && o.code === "duplicate_ref_id" && !writtenNow.has(a.request.refId);
  });
  if (!taken.length) return new Map();
  return findIdenticalPayouts(
    c.var.db,
    businessId,
    taken.map((a) => a.request.initiation),
  );
}
