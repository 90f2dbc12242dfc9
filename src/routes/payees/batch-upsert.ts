import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { idempotencyHeaders, idempotent } from "../../http/idempotency";
import { errorResponses } from "../../http/openapi";
import { upsertPayees } from "../../services/payees/upsert";
import { BatchResults } from "./batch-results";
import { json, PayeeBatchResultSchema, PayeeBatchUpsertSchema, PayeeUpsertSchema, security } from "./schemas";

export const route = createRoute({
  method: "post",
  path: "/batch/upsert",
  tags: ["Payees"],
  summary: "Upsert payees in batch",
  description:
    "Creates or updates up to 100 payees by `external_id`; each record carries `external_id` and `operation` as in upsert payee. Each record succeeds (201 created, 200 updated) or fails on its own (400 invalid, 404 `update_only` on a missing payee, 409 `create_only` on an existing one or an `external_id` that appears earlier in the batch). An empty batch or one over 100 records is a 400. Requires `write:payees`. Accepts `Idempotency-Key`.",
  security,
  middleware: [requireScope("write:payees"), idempotent] as const,
  request: { headers: idempotencyHeaders, body: { required: true, content: json(PayeeBatchUpsertSchema) } },
  responses: {
    200: { description: "One result per record, in record order", content: json(PayeeBatchResultSchema) },
    ...errorResponses(400, 401, 403, 409, 413, 415, 422),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const results = new BatchResults(c.var.requestId);
  const valid = results.validate(c.req.valid("json").records, PayeeUpsertSchema);
  const unique = results.dropDuplicates(valid, (r) => r.value.external_id, "external_id");
  const records = unique.map(({ index, value: { external_id, operation, ...fields } }) => ({ index, external_id, operation, fields }));
  const outcomes = await upsertPayees(c.var.db, c.var.auth.businessId, records);
  outcomes.forEach((outcome, i) => {
    const { external_id, fields } = records[i]!;
    const missing = (["name", "type"] as const).filter((field) => fields[field] === undefined);
    results.add(outcome, { index: outcome.index, external_id, missing });
  });
  return c.json(results.body(), 200);
};
