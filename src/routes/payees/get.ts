import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { getPayee } from "../../services/payees/read";
import { isPayeeId, json, PayeeEnvelopeSchema, PayeeIdParamSchema, security } from "./schemas";

export const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Payees"],
  summary: "Retrieve a payee",
  description: "Returns one payee by id. Requires `read:payees`.",
  security,
  middleware: [requireScope("read:payees")] as const,
  request: { params: PayeeIdParamSchema },
  responses: {
    200: { description: "The payee", content: json(PayeeEnvelopeSchema) },
    ...errorResponses(401, 403, 404),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  // A string that is not a payee id (`batch`, say) names no payee: no need to ask the database.
  const payee = isPayeeId(id) ? await getPayee(c.var.db, c.var.auth.businessId, id) : undefined;
  if (!payee) throw new ApiError("not_found", `No payee with id "${id}".`);
  return c.json({ data: payee }, 200);
};
