import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { idempotencyHeaders, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { upsertPayees } from "../../services/payees/upsert";
import { unwrap } from "./outcomes";
import { json, PayeeEnvelopeSchema, PayeeUpsertSchema, security } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/upsert",
  tags: ["Payees"],
  summary: "Upsert a payee",
  description:
    "Creates or updates one payee by `external_id`. `operation`: `create_only` (409 if it exists), `update_only` (404 if it does not), or `create_or_update`. When updating, only the fields sent change. Requires `write:payees`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:payees"), idempotent] as const,
  request: { headers: idempotencyHeaders, body: { required: true, content: json(PayeeUpsertSchema) } },
  responses: {
    200: { description: "An existing payee was updated", content: json(PayeeEnvelopeSchema) },
    201: { description: "A payee was created", content: json(PayeeEnvelopeSchema) },
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const { external_id, operation, ...fields } = c.req.valid("json");
  const [outcome] = await upsertPayees(c.var.db, c.var.auth.businessId, [{ index: 0, external_id, operation, fields }]);
  const missing = (["name", "type"] as const).filter((field) => fields[field] === undefined);
  const { payee, status } = unwrap(outcome, { index: 0, external_id, missing });
  return status === 201 ? c.json({ data: payee }, 201) : c.json({ data: payee }, 200);
};
