import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { getPayoutUser } from "../../services/payout-users/queries";
import { presentUser } from "./present";
import { dataOf, PayoutUserIdParamSchema, PayoutUserSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Payout users"],
  summary: "Retrieve a payout user",
  middleware: [requireScope("read:payout_users")] as const,
  request: { params: PayoutUserIdParamSchema },
  responses: {
    200: { description: "The payout user", content: { "application/json": { schema: dataOf(PayoutUserSchema) } } },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  const user = await getPayoutUser(c.var.db, c.var.auth.businessId, id);
  if (!user) throw new ApiError("not_found", `No payout user with id "${id}".`);
  return c.json({ data: await presentUser(c.var.config.PAYOUT_HASH_SECRET, user) }, 200);
};
