import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { getPayout } from "../../services/ledger-payouts/payouts-read";
import { ownBusiness } from "./business";
import { PayoutEnvelopeSchema } from "./payout-schemas";
import { json, payoutParam, security } from "./route-common";

export const route = createRoute({
  method: "get",
  path: "/{businessId}/payouts/{payoutId}",
  tags: ["Ledger payouts"],
  operationId: "getLedgerPayout",
  summary: "Retrieve a payout",
  description: "One payout with its payments, refunds and match. Requires `read:ledger`.",
  security,
  middleware: [requireScope("read:ledger")] as const,
  request: { params: payoutParam },
  responses: {
    200: { description: "The payout", content: json(PayoutEnvelopeSchema) },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { businessId, payoutId } = c.req.valid("param");
  const payout = await getPayout(c.var.db, ownBusiness(c, businessId), payoutId);
  if (!payout) throw new ApiError("not_found", `No payout with id "${payoutId}".`);
  return c.json({ data: payout } as never, 200);
};
