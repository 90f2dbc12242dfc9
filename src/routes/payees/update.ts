import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { updatePayees } from "../../services/payees/update";
import { conflictOnRace, unwrap } from "./outcomes";
import { isPayeeId, json, PayeeEnvelopeSchema, PayeeIdParamSchema, PayeeUpdateSchema, security } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/{id}",
  tags: ["Payees"],
  summary: "Update a payee",
  description:
    'Updates one payee by id; send only the fields to change. Releasing a hold (`hold_status: "none"`) clears `hold_reason`. Requires `write:payees`.',
  security,
  middleware: [requireScope("write:payees")] as const,
  request: { params: PayeeIdParamSchema, body: { required: true, content: json(PayeeUpdateSchema) } },
  responses: {
    200: { description: "The updated payee", content: json(PayeeEnvelopeSchema) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { id } = c.req.valid("param");
  const fields = c.req.valid("json");
  if (!isPayeeId(id)) throw new ApiError("not_found", `No payee with id "${id}".`);
  const [outcome] = await updatePayees(c.var.db, c.var.auth.businessId, [{ index: 0, id, fields }]).catch(conflictOnRace);
  const { payee } = unwrap(outcome, { index: 0, id, external_id: fields.external_id });
  return c.json({ data: payee }, 200);
};
