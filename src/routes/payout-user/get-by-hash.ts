import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, pageMetaSchema, paginationQuery, toPage } from "../../http/pagination";
import { bearerToken } from "../../http/auth";
import { sha256Hex } from "../../http/digest";
import { sameHash, userHash } from "../../services/payout-users/hash";
import { findPayoutUserByHashDigest, listTransactions } from "../../services/payout-users/queries";
import { presentTransaction } from "../payout-users/present";
import { TransactionSchema } from "../payout-users/schemas";

const SelfViewSchema = z
  .object({
    id: z.string().openapi({ example: "pou_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
    email: z.string().openapi({ example: "ann@example.com" }),
    balance: z.number().int().openapi({ description: "Cents.", example: 25000 }),
    currency: z.string().openapi({ example: "USD" }),
    transactions: z.array(TransactionSchema).openapi({ description: "Newest first; page with `cursor`." }),
  })
  .openapi("PayoutUserSelfView");

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Payout users"],
  summary: "A payout user's own balance and history, by their hash",
  description: "Authenticate with `Authorization: Bearer <hash>`, the hash returned when the user was created. Opens nothing else.",
  security: [{ payoutUserHash: [] }],
  request: { query: z.object(paginationQuery) },
  responses: {
    200: {
      description: "The user's balance and a page of history",
      content: { "application/json": { schema: z.object({ data: SelfViewSchema, meta: pageMetaSchema }) } },
    },
    ...errorResponses(400, 401),
  },
});

const unauthorized = () =>
  new ApiError("unauthorized", "Send the payout user's hash as 'Authorization: Bearer <hash>'.", undefined, {
    "WWW-Authenticate": 'Bearer realm="disburse-payout-user"',
  });

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const presented = bearerToken(c.req.header("Authorization"));
  if (!presented || !/^[0-9a-f]{64}$/.test(presented)) throw unauthorized();

  const user = await findPayoutUserByHashDigest(c.var.db, await sha256Hex(presented));
  // The digest only finds a candidate; the hash itself is re-derived and compared in constant time.
  if (!user || !sameHash(presented, await userHash(c.var.config.PAYOUT_HASH_SECRET, user.id))) throw unauthorized();

  const { limit, cursor } = c.req.valid("query");
  const rows = (await listTransactions(c.var.db, user.businessId, user.id, { limit, before: decodeCursor(cursor) })) ?? [];
  const page = toPage(rows, limit);
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
