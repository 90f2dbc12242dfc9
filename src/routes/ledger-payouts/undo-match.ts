import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { undoMatch } from "../../services/ledger-payouts/matching";
import { ownBusiness } from "./business";
import { PayoutEnvelopeSchema } from "./payout-schemas";
import { json, payoutParam, security } from "./route-common";

export const route = createRoute({
  method: "delete",
  path: "/{businessId}/payouts/{payoutId}/match",
  tags: ["Ledger payouts"],
  operationId: "undoLedgerPayoutMatch",
  summary: "Undo a payout's bank match",
  description:
    "Removes the payout's match; its bank transaction becomes unmatched (and listable with `matched=false`) again. Answers the payout, with `match: null`; a payout without a match answers the same, so a retry is harmless. Requires `write:ledger`.",
  security,
  middleware: [requireScope("write:ledger")] as const,
  request: { params: payoutParam },
  responses: {
    200: { description: "The payout, unmatched", content: json(PayoutEnvelopeSchema) },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { businessId, payoutId } = c.req.valid("param");
  const payout = await undoMatch(c.var.db, ownBusiness(c, businessId), payoutId);
  if (!payout) throw new ApiError("not_found", `No payout with id "${payoutId}".`);
  return c.json({ data: payout } as never, 200);
};
