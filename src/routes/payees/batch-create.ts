import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { idempotencyHeaders, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { createPayees } from "../../services/payees/create";
import { BatchResults } from "./batch-results";
import { json, PayeeBatchCreateSchema, PayeeBatchResultSchema, PayeeCreateSchema, security } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/batch",
  tags: ["Payees"],
  summary: "Create payees in batch",
  description:
    "Creates up to 100 payees in one request; each record uses the fields of create payee. Each record succeeds or fails on its own (invalid fields 400, an `external_id` that exists or appears earlier in the batch 409); the response is 200 with a result per record. An empty batch or one over 100 records is a 400. Requires `write:payees`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:payees"), idempotent] as const,
  request: { headers: idempotencyHeaders, body: { required: true, content: json(PayeeBatchCreateSchema) } },
  responses: {
    200: { description: "One result per record, in record order", content: json(PayeeBatchResultSchema) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const results = new BatchResults(c.var.requestId);
  const valid = results.validate(c.req.valid("json").records, PayeeCreateSchema);
  const unique = results.dropDuplicates(valid, (r) => r.value.external_id, "external_id");
  const records = unique.map(({ index, value }) => ({ index, fields: value }));
  const outcomes = await createPayees(c.var.db, c.var.auth.businessId, records);
  outcomes.forEach((outcome, i) => results.add(outcome, { index: outcome.index, external_id: records[i]!.fields.external_id }));
  return c.json(results.body(), 200);
};
