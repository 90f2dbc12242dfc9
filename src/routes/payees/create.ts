import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { idempotencyHeaders, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { createPayees } from "../../services/payees/create";
import { unwrap } from "./outcomes";
import { json, PayeeCreateSchema, PayeeEnvelopeSchema, security } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Payees"],
  summary: "Create a payee",
  description:
    "Creates one payee. `external_id` is optional but recommended for later upserts; a second payee with the same `external_id` in the business is a 409. Requires `write:payees`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:payees"), idempotent] as const,
  request: { headers: idempotencyHeaders, body: { required: true, content: json(PayeeCreateSchema) } },
  responses: {
    201: { description: "The payee was created", content: json(PayeeEnvelopeSchema) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const fields = c.req.valid("json");
  const [outcome] = await createPayees(c.var.db, c.var.auth.businessId, [{ index: 0, fields }]);
  const { payee } = unwrap(outcome, { index: 0, external_id: fields.external_id });
  return c.json({ data: payee }, 201);
};
