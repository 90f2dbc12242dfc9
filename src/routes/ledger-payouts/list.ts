import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, toPage } from "../../http/pagination";
import { listPayouts } from "../../services/ledger-payouts/payouts-read";
import { ownBusiness } from "./business";
import { PayoutListSchema, payoutListQuery } from "./payout-schemas";
import { businessParam, json, security } from "./route-common";

export const route = createRoute({
  method: "get",
  path: "/{businessId}/payouts",
  tags: ["Ledger payouts"],
  operationId: "listLedgerPayouts",
  summary: "List payouts",
  description:
    "The business's payouts, oldest first, a page at a time. Filters: exact `reference_number`, `external_id`, `processor`; `completed_after` (inclusive) and `completed_before` (exclusive); `matched=false` lists the payouts no bank transaction is matched to. Requires `read:ledger`.",
  security,
  middleware: [requireScope("read:ledger")] as const,
  request: { params: businessParam, query: payoutListQuery },
  responses: {
    200: { description: "A page of payouts", content: json(PayoutListSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  const { limit, cursor, ...filters } = c.req.valid("query");
  const rows = await listPayouts(c.var.db, businessId, { ...filters, limit, after: decodeCursor("ledger-payouts", cursor) });
  return c.json(toPage("ledger-payouts", rows, limit) as never, 200);
};
