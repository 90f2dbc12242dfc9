import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { fingerprintOf, idempotencyHeaders, idempotencyKey, idempotencyKeyForm, replayedHeader } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { ledgerFor } from "../../ledger/client";
import { presentUser } from "./present";
import { dataOf, PayoutUserCreateSchema, PayoutUserSchema } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Payout users"],
  summary: "Create a payout user or add funds to one",
  description:
    "Debits `amount` from the business payout balance and adds it to the payout user with that email, creating the user " +
    "if needed, atomically. Concurrent requests are serialised per business, so the balance can never be overdrawn. " +
    "Send `Idempotency-Key` to retry safely: a retry with the same key and body replays the first answer without a second debit.",
  middleware: [requireScope("write:payout_users"), idempotencyKeyForm] as const,
  request: {
    headers: idempotencyHeaders,
    body: { required: true, content: { "application/json": { schema: PayoutUserCreateSchema } } },
  },
  responses: {
    201: { description: "Created with the amount as its balance", content: { "application/json": { schema: dataOf(PayoutUserSchema) } } },
    200: { description: "Existing user topped up", content: { "application/json": { schema: dataOf(PayoutUserSchema) } } },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { email, amount } = c.req.valid("json");
  const businessId = c.var.auth.businessId;
  const key = idempotencyKey(c);
  const outcome = await ledgerFor(c.env, businessId).allocate({
    email: email.toLowerCase(),
    amount,
    ...(key === undefined ? {} : { idempotencyKey: key, fingerprint: await fingerprintOf(c) }),
  });
  if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
  if (outcome.replayed) c.header(replayedHeader, "true");
  return c.json({ data: await presentUser(c.var.config.PAYOUT_HASH_SECRET, outcome.user) }, outcome.status);
};
