import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, pageMetaSchema, paginationQuery, toPage } from "../../http/pagination";
import { listTransactions } from "../../services/payout-users/queries";
import { presentTransaction, transactionList } from "../payout-users/present";
import { PayoutUserTransactionSchema } from "../payout-users/schemas";
import { requirePayoutUser } from "./auth";

const PayoutUserSelfViewSchema = z
  .object({
    id: z.string().openapi({ example: "pou_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
    email: z.string().openapi({ example: "ann@example.com" }),
    balance: z.number().int().openapi({ description: "Cents.", example: 25000 }),
    currency: z.string().openapi({ example: "USD" }),
    transactions: z.array(PayoutUserTransactionSchema).openapi({ description: "Newest first; page with `cursor`." }),
  })
  .openapi("PayoutUserSelfView");

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Payout users"],
  summary: "A payout user's own balance and history, by their hash",
  description: "Authenticate with `Authorization: Bearer <hash>`, the hash returned when the user was created. Opens nothing else.",
  security: [{ payoutUserHash: [] }],
  middleware: [requirePayoutUser] as const,
  request: { query: z.object(paginationQuery) },
  responses: {
    200: {
      description: "The user's balance and a page of history",
      content: { "application/json": { schema: z.object({ data: PayoutUserSelfViewSchema, meta: pageMetaSchema }) } },
    },
    ...errorResponses(400, 401),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const user = c.var.payoutUser;
  const { limit, cursor } = c.req.valid("query");
  const list = transactionList(user.id);
  const rows = (await listTransactions(c.var.db, user.businessId, user.id, { limit, before: decodeCursor(list, cursor) })) ?? [];
  const page = toPage(list, rows, limit);
  return c.json(
    {
      data: {
        id: user.id,
        email: user.email,
        balance: Number(user.balance),
        currency: user.currency,
        transactions: page.data.map(presentTransaction),
      },
      meta: page.meta,
    },
    200,
  );
};
