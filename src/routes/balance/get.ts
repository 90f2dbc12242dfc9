import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { getBalance } from "../../services/payout-users/queries";
import { BalanceSchema } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Balance"],
  summary: "The business payout balance",
  middleware: [requireScope("read:balance")] as const,
  responses: {
    200: { description: "The balance", content: { "application/json": { schema: z.object({ data: BalanceSchema }) } } },
    ...errorResponses(401, 403),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { businessId } = c.var.auth;
  const b = await getBalance(c.var.db, businessId);
  if (!b) throw new ApiError("not_found", `No business with id "${businessId}".`);
  return c.json(
    {
      data: {
        balance: Number(b.balance),
        currency: b.currency,
        payouts_enabled: b.payoutsEnabled,
        allocated_total: Number(b.allocatedTotal),
      },
    },
    200,
  );
};
