import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { inexactNumbers } from "../../lib/decimal";
import { etagOf, present } from "../../services/payout-requests/present";
import { desiredFromBody } from "../../services/payout-requests/put-body";
import { type PutOutcome, putPayoutRequest, type Refusal } from "../../services/payout-requests/write";
import { etagHeader, idParam, ifMatchHeader, json, PayoutRequestPutSchema, PayoutRequestSchema, security } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/{id}",
  operationId: "upsertPayoutRequest",
  tags: ["Payout requests"],
  summary: "Create or update a payout request",
  description:
    "Creates (201) or replaces (200) the payout request with this id (1-64 letters, digits, `-`, `_`). The body is the whole request: `allocations` is the full list, fields left out are cleared. " +
    "Server-owned fields (`id`, `createdTime`, `updatedTime`, `availableAmount`, `status` except `canceled`, `selectPaymentInstrumentUrl`, `_links`, allocation times) may be sent back unchanged; another value is a 400. " +
    "A PUT identical to the stored request changes nothing. `If-Match` makes the PUT apply only to that version (412 otherwise). Requires `write:payout_requests`.",
  security,
  middleware: [requireScope("write:payout_requests")] as const,
  request: {
    params: idParam,
    headers: ifMatchHeader,
    body: { required: true, content: json(PayoutRequestPutSchema) },
  },
  responses: {
    200: { description: "The request was updated (or was already exactly this)", headers: etagHeader, content: json(PayoutRequestSchema) },
    201: { description: "The request was created", headers: etagHeader, content: json(PayoutRequestSchema) },
    ...errorResponses(400, 401, 403, 409, 412, 413, 415),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const inexact = inexactNumbers(await c.req.text());
  if (inexact.length) {
    throw new ApiError(
      "validation_error",
      "A number has more digits than can be held exactly (at most 15 significant digits).",
      Object.fromEntries(inexact.map((key) => [key || "_", ["Has more digits than can be held exactly"]])),
    );
  }

  const verdict = desiredFromBody(id, body);
  if (!verdict.ok) {
    if (verdict.kind === "fields") throw new ApiError("validation_error", "The request has invalid fields.", verdict.fields);
    if (verdict.kind === "exceeds") {
      throw new ApiError(
        "allocation_exceeds_amount",
        `The approved and unknown allocations add up to ${verdict.approvedAndUnknown}, more than the amount ${verdict.amount}.`,
        { allocations: ["Approved and unknown allocations must not exceed amount"] },
      );
    }
    throw transition("fulfilled", "canceled", "a fulfilled payout request cannot be canceled");
  }

  const outcome = await putPayoutRequest(c.var.db, {
    businessId: c.var.auth.businessId,
    desired: verdict.desired,
    claims: verdict.claims,
    ifMatch: parseIfMatch(c.req.header("If-Match")),
  });
  if (outcome.kind === "refused") throw refusalError(outcome);
  c.header("ETag", etagOf(outcome.row.version));
  const representation = present(outcome.row);
  return outcome.kind === "created" ? c.json(representation, 201) : c.json(representation, 200);
};

/** `*`, or the versions of the strong entity tags listed; weak tags never match If-Match. */
function parseIfMatch(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return ["*"];
  return header
    .split(",")
    .map((tag) => /^"(\d+)"$/.exec(tag.trim())?.[1])
    .filter((v): v is string => v !== undefined);
}

function transition(from: string, to: string, why: string, headers?: Record<string, string>): ApiError {
  return new ApiError(
    "invalid_status_transition",
    `Cannot go from "${from}" to "${to}": ${why}.`,
    { status: [`${from} -> ${to} is not allowed`] },
    headers,
  );
}

function refusalError(outcome: Extract<PutOutcome, { kind: "refused" }>): ApiError {
  const headers = outcome.row ? { ETag: etagOf(outcome.row.version) } : undefined;
  const refusal: Refusal = outcome.refusal;
  switch (refusal.problem) {
    case "precondition_failed":
      return new ApiError(
        "precondition_failed",
        outcome.row
          ? `If-Match does not match the current version (ETag ${etagOf(outcome.row.version)}); nothing was changed.`
          : "If-Match was sent but the payout request does not exist; nothing was created.",
        undefined,
        headers,
      );
    case "server_owned":
      return new ApiError(
        "validation_error",
        "Server-owned fields differ from the stored payout request; send them back unchanged or leave them out.",
        Object.fromEntries(refusal.fields.map((f) => [f, ["Set by the server; does not match its value"]])),
        headers,
      );
    case "canceled_final":
      return transition("canceled", refusal.to, "a canceled payout request is final and cannot change", headers);
    case "amount_locked":
      return new ApiError(
        "conflict",
        "The amount and currency cannot change once the payout request has allocations.",
        Object.fromEntries(refusal.fields.map((f) => [f, ["Cannot change once allocations exist"]])),
        headers,
      );
    case "approved_locked":
      return new ApiError(
        "conflict",
        `The approved allocation "${refusal.transactionId}" cannot be removed or changed.`,
        { allocations: [`Approved allocation "${refusal.transactionId}" must stay as it is`] },
        headers,
      );
    case "blocked_new_allocation":
      return new ApiError(
        "payout_request_blocked",
        `The payout request is blocked: it accepts no new allocations ("${refusal.transactionId}") until unblocked.`,
        { allocations: ["No new allocations while blocked"] },
        headers,
      );
    case "blocked_fulfill":
      return new ApiError(
        "payout_request_blocked",
        "The payout request is blocked: it cannot be fulfilled until unblocked.",
        { allocations: ["Cannot fulfill a blocked payout request"] },
        headers,
      );
  }
}
