import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, paginationQuery, toPage } from "../../http/pagination";
import { listTransactions } from "../../services/payout-users/queries";
import { presentTransaction, transactionList } from "./present";
import { PayoutUserIdParamSchema, PayoutUserTransactionSchema, pageOf } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}/transactions",
  tags: ["Payout users"],
  summary: "A payout user's transaction history, newest first",
  middleware: [requireScope("read:payout_users")] as const,
  request: { params: PayoutUserIdParamSchema, query: z.object(paginationQuery) },
  responses: {
    200: { description: "A page of transactions", content: { "application/json": { schema: pageOf(PayoutUserTransactionSchema) } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  const { id } = c.req.valid("param");
  const list = transactionList(id);
  const rows = await listTransactions(c.var.db, c.var.auth.businessId, id, { limit, before: decodeCursor(list, cursor) });
  if (!rows) throw new ApiError("not_found", `No payout user with id "${id}".`);
  const page = toPage(list, rows, limit);
  return c.json({ data: page.data.map(presentTransaction), meta: page.meta }, 200);
};
