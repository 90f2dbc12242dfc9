import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { etagOf, present } from "../../services/payout-requests/present";
import { getPayoutRequest } from "../../services/payout-requests/read";
import { etagHeader, idParam, ifNoneMatchHeader, json, PayoutRequestSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getPayoutRequest",
  tags: ["Payout requests"],
  summary: "Retrieve a payout request",
  description:
    "Returns one payout request; the body can be sent back as a PUT unchanged. With `If-None-Match` naming its current ETag the answer is a 304 without a body. Requires `read:payout_requests`.",
  security,
  middleware: [requireScope("read:payout_requests")] as const,
  request: { params: idParam, headers: ifNoneMatchHeader },
  responses: {
    200: { description: "The payout request", headers: etagHeader, content: json(PayoutRequestSchema) },
    304: { description: "Not modified: the ETag in If-None-Match is still current", headers: etagHeader },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await getPayoutRequest(c.var.db, c.var.auth.businessId, id);
  if (!row) throw new ApiError("not_found", `No payout request with id "${id}".`);
  const etag = etagOf(row.version);
  c.header("ETag", etag);
  const ifNoneMatch = c.req.valid("header")["if-none-match"];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => [etag, `W/${etag}`, "*"].includes(tag.trim()))) {
    return c.body(null, 304);
  }
  return c.json(present(row), 200);
};
