import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, encodeCursor } from "../../http/pagination";
import { sha256Hex } from "../../lib/digest";
import { present } from "../../services/payout-requests/present";
import { listPayoutRequests } from "../../services/payout-requests/read";
import { json, listQuerySchema, PayoutRequestListSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/",
  operationId: "listPayoutRequests",
  tags: ["Payout requests"],
  summary: "List payout requests",
  description:
    "The business's payout requests, oldest first, a page at a time. Filter by `status`, `customerId`, `websiteId` or `batchId` (exact). Requires `read:payout_requests`.",
  security,
  middleware: [requireScope("read:payout_requests")] as const,
  request: { query: listQuerySchema },
  responses: {
    200: {
      description: "A page of payout requests",
      headers: { ETag: { schema: { type: "string" }, description: "A weak validator of this page." } },
      content: json(PayoutRequestListSchema),
    },
    ...errorResponses(400, 401, 403),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // This list pages by creation sequence, not by id (the ids are the clients').
  const afterSeq = decodeCursor("payout-requests", cursor, /^\d{1,19}$/);
  const rows = await listPayoutRequests(c.var.db, c.var.auth.businessId, { ...filters, limit, afterSeq });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const body = {
    data: page.map(present),
    meta: { next_cursor: rows.length > limit && last ? encodeCursor("payout-requests", last.seq) : null, limit },
  };
  c.header("ETag", `W/"${(await sha256Hex(JSON.stringify(body))).slice(0, 32)}"`);
  return c.json(body, 200);
};
