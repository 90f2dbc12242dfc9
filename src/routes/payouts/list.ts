import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { decodeCursor, encodeCursor } from "../../http/pagination";
import { listPayouts } from "../../services/payouts/read";
import { presentPayout } from "./present";
import { json, listQuerySchema, PayoutListSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/",
  operationId: "listPayouts",
  tags: ["Payouts"],
  summary: "Get payouts",
  description:
    "The business's payouts, newest first, a page at a time (`limit` is required; pass `paging.nextOffset` as `offset`). " +
    "Filters combine: creation dates (UTC, inclusive), ids, statuses (each invertible), refIds and onBehalfOfId; repeat a " +
    "parameter for several values. Requires `read:payouts`.",
  security,
  middleware: [requireScope("read:payouts")] as const,
  request: { query: listQuerySchema },
  responses: {
    200: { description: "A page of payouts", content: json(PayoutListSchema) },
    ...errorResponses(400, 401, 403),
  },
});

/**
 * The list's name in its offsets. Offsets made while the list paged by id alone ("payouts") would
 * name a position in another order now, so they are refused (400) rather than skip or repeat payouts.
 */
const LIST = "payouts:by-time";

function decodeOffset(offset: string | undefined): string | undefined {
  try {
    return decodeCursor(LIST, offset);
  } catch (err) {
    // The same rules as every cursor, reported under this list's own parameter name.
    if (!(err instanceof ApiError)) throw err;
    throw new ApiError("invalid_cursor", err.message.replace("cursor", "offset"), { offset: err.fields?.cursor ?? ["Invalid offset"] });
  }
}

export const handler: RouteHandler<typeof route> = async (c) => {
  const { limit, offset, ...filters } = c.req.valid("query");
  const rows = await listPayouts(c.var.db, c.var.auth.businessId, { ...filters, limit, before: decodeOffset(offset) });
  const page = rows.slice(0, limit);
  const haveMore = rows.length > limit;
  return c.json(
    {
      payouts: page.map(presentPayout),
      paging: { limit, offset: offset ?? null, nextOffset: haveMore ? encodeCursor(LIST, page.at(-1)!.id) : null, haveMore },
    },
    200,
  );
};
