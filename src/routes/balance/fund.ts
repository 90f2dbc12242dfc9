import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { idempotencyHeaders, idempotencyKey, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { ledgerFor } from "../../ledger/client";
import { BalanceFundSchema } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/fund",
  tags: ["Balance"],
  summary: "Add funds to the business payout balance (admin scope write:balance)",
  middleware: [requireScope("write:balance"), idempotent] as const,
  request: { headers: idempotencyHeaders, body: { required: true, content: { "application/json": { schema: BalanceFundSchema } } } },
  responses: {
    200: {
      description: "The balance after funding",
      content: {
        "application/json": {
          schema: z.object({
            data: z.object({ balance: z.number().int().openapi({ example: 100500000 }), currency: z.string().openapi({ example: "USD" }) }),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403, 409, 422, 503),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = c.var.auth.businessId;
  const outcome = await ledgerFor(c.env, businessId).fund(c.req.valid("json").amount, idempotencyKey(c));
  if (!outcome.ok) throw new ApiError(outcome.code, outcome.message);
  return c.json({ data: { balance: outcome.balance, currency: outcome.currency } }, 200);
};
