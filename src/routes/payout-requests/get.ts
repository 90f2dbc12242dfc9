import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { etagOf, present } from "../../services/payout-requests/model";
import { getPayoutRequest } from "../../services/payout-requests/read";
import { etagHeader, idParam, json, PayoutRequestSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}",
  operationId: "getPayoutRequest",
  tags: ["Payout requests"],
  summary: "Retrieve a payout request",
  description: "Returns one payout request; the body can be sent back as a PUT unchanged. Requires `read:payout_requests`.",
  security,
  middleware: [requireScope("read:payout_requests")] as const,
  request: { params: idParam },
  responses: {
    200: { description: "The payout request", headers: etagHeader, content: json(PayoutRequestSchema) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await getPayoutRequest(c.var.db, c.var.auth!.businessId, id);
  if (!row) throw new ApiError("not_found", `No payout request with id "${id}".`);
  c.header("ETag", etagOf(row.version));
  return c.json(present(row), 200);
};
