import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
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

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const b = await getBalance(c.var.db, c.var.auth!.businessId);
  if (!b) throw new ApiError("not_found", "No such business.");
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
