import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { accountBalances } from "../../services/ledger-payouts/accounts";
import { AccountListSchema } from "./account-schemas";
import { ownBusiness } from "./business";
import { businessParam, json, security } from "./route-common";

export const route = createRoute({
  method: "get",
  path: "/{businessId}/ledger/accounts",
  tags: ["Ledger payouts"],
  operationId: "listLedgerAccounts",
  summary: "List ledger accounts with balances",
  description:
    "The business's chart of accounts (Undeposited Funds, Current Assets, Cash, Accounts Receivable, Payment Processing Fees, Refunds), each with its debits, credits and balance: the sums of its journal lines. Requires `read:ledger`.",
  security,
  middleware: [requireScope("read:ledger")] as const,
  request: { params: businessParam },
  responses: {
    200: { description: "Every account", content: json(AccountListSchema) },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const businessId = ownBusiness(c, c.req.valid("param").businessId);
  return c.json({ data: await accountBalances(c.var.db, businessId) } as never, 200);
};
