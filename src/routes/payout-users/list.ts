import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, paginationQuery, toPage } from "../../http/pagination";
import { text } from "../../http/validation";
import { listPayoutUsers } from "../../services/payout-users/queries";
import { presentUser } from "./present";
import { PayoutUserSchema, pageOf } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Payout users"],
  summary: "List payout users",
  middleware: [requireScope("read:payout_users")] as const,
  request: {
    query: z.object({
      ...paginationQuery,
      email: text().min(1).max(255).optional().openapi({ description: "Exact email, case-insensitive." }),
    }),
  },
  responses: {
    200: { description: "A page of payout users, oldest first", content: { "application/json": { schema: pageOf(PayoutUserSchema) } } },
    ...errorResponses(400, 401, 403),
  },
});

const listName = "payout_users";

export const handler: RouteHandler<typeof route> = async (c) => {
  const { limit, cursor, email } = c.req.valid("query");
  const rows = await listPayoutUsers(c.var.db, c.var.auth.businessId, { limit, email, after: decodeCursor(listName, cursor) });
  const page = toPage(listName, rows, limit);
  const secret = c.var.config.PAYOUT_HASH_SECRET;
  return c.json({ data: await Promise.all(page.data.map((u) => presentUser(secret, u))), meta: page.meta }, 200);
};
