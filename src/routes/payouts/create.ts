import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { idempotencyHeaders, idempotencyKey, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { ledgerFor } from "../../ledger/client";
import { handOffAfterCommit } from "../../services/payout-lifecycle/hand-off";
import { prepareInitiation } from "../../services/payouts/prepare";
import { findIdenticalPayouts } from "../../services/payouts/read";
import { presentPayout } from "./present";
import { InitiateBody, json, PayoutEnvelopeSchema, security } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/",
  operationId: "initiatePayout",
  tags: ["Payouts"],
  summary: "Initiate a payout",
  description:
    "Holds the amount (from the business payout balance, or from `payoutUserId`'s balance) and writes the payout in " +
    "`INITIATION_PENDING`, atomically, through the business's BalanceLedger; the payout then goes to the rail. A payee " +
    "(`payeeId`) on hold, inactive, or with a higher minimum payout threshold refuses it without debiting anything. " +
    "`refId` is unique per business. Requires `write:payouts`.",
  security,
  middleware: [requireScope("write:payouts"), idempotent] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: json(InitiateBody) },
  },
  responses: {
    200: { description: "The payout, INITIATION_PENDING", content: json(PayoutEnvelopeSchema) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 501, 503),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { initiation } = c.req.valid("json");
  const prepared = prepareInitiation(initiation);
  if (!prepared.ok)
    throw new ApiError(prepared.code, prepared.message, { "initiation.localInstrument": ["Not supported by the payout rail"] });
  const businessId = c.var.auth.businessId;
  const outcome = (await ledgerFor(c.env, businessId).initiate([prepared.request]))[0]!;
  let payout: Parameters<typeof presentPayout>[0] | undefined;
  if (outcome.ok) payout = outcome.payout;
  else {
    // With an Idempotency-Key, a refId taken by this very initiation is the request's own earlier
    // attempt, written although it was answered 503 (which released the key): answer that payout.
    if (outcome.code === "duplicate_ref_id" && idempotencyKey(c) !== undefined)
      payout = (await findIdenticalPayouts(c.var.db, businessId, [initiation])).get(initiation.refId);
    if (!payout) throw new ApiError(outcome.code, outcome.message, outcome.fields);
  }
  // To the rail through the submission queue (issue 10); a lost send is found by the cron.
  await handOffAfterCommit(c.env, [{ businessId, payoutId: payout.id }]);
  return c.json({ payout: presentPayout(payout) }, 200);
};
