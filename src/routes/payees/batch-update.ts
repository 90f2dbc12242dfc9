import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import { requireScope } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { updatePayees } from "../../services/payees/update";
import { BatchResults } from "./batch-results";
import { conflictOnRace } from "./outcomes";
import { isPayeeId, json, PayeeBatchResultSchema, PayeeBatchUpdateRecordSchema, PayeeBatchUpdateSchema, security } from "./schemas";

export const route = createRoute({
  method: "put",
  path: "/batch",
  tags: ["Payees"],
  summary: "Update payees in batch",
  description:
    "Updates up to 100 payees by id; each record carries `id` and the fields to change. Each record succeeds or fails on its own (400 invalid, 404 an id that is not one of your payees, 409 an `external_id` another payee holds, or an id or new `external_id` that appears earlier in the batch). An empty batch or one over 100 records is a 400. Requires `write:payees`.",
  security,
  middleware: [requireScope("write:payees")] as const,
  request: { body: { required: true, content: json(PayeeBatchUpdateSchema) } },
  responses: {
    200: { description: "One result per record, in record order", content: json(PayeeBatchResultSchema) },
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const results = new BatchResults(c.var.requestId);
  const valid = results.validate(c.req.valid("json").records, PayeeBatchUpdateRecordSchema).filter(({ index, value }) => {
    if (isPayeeId(value.id)) return true;
    results.fail(index, new ApiError("not_found", `No payee with id "${value.id}".`));
    return false;
  });
  // Two records for one payee, or two payees moved to one external_id, would race inside the statement.
  const uniqueIds = results.dropDuplicates(valid, (r) => r.value.id, "id");
  const unique = results.dropDuplicates(uniqueIds, (r) => r.value.external_id, "external_id");
  const records = unique.map(({ index, value: { id, ...fields } }) => ({ index, id, fields }));
  const outcomes = await updatePayees(c.var.db, c.var.auth.businessId, records).catch(conflictOnRace);
  outcomes.forEach((outcome, i) => {
    const { id, fields } = records[i]!;
    results.add(outcome, { index: outcome.index, id, external_id: fields.external_id });
  });
  return c.json(results.body(), 200);
};
