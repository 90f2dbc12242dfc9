import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { getPayout } from "../../services/payouts/read";
import { presentPayout } from "./present";
import { isPayoutId, json, PayoutEnvelopeSchema, payoutIdParam, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getPayout",
  tags: ["Payouts"],
  summary: "Get a payout",
  description: "Returns one payout by id. Requires `read:payouts`.",
  security,
  middleware: [requireScope("read:payouts")] as const,
  request: { params: payoutIdParam },
  responses: {
    200: { description: "The payout", content: json(PayoutEnvelopeSchema) },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  // A string that is not a payout id names no payout: no need to ask the database.
  const payout = isPayoutId(id) ? await getPayout(c.var.db, c.var.auth.businessId, id) : undefined;
  if (!payout) throw new ApiError("not_found", `No payout with id "${id}".`);
  return c.json({ payout: presentPayout(payout) }, 200);
};
