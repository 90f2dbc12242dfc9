import { createRouter } from "../../http/router";
import * as batchCreate from "./batch-create";
import * as batchUpdate from "./batch-update";
import * as batchUpsert from "./batch-upsert";
import * as create from "./create";
import * as get from "./get";
import * as list from "./list";
import { PayeeBatchUpdateRecordSchema, PayeeCreateSchema, PayeeUpsertSchema } from "./schemas";
import * as update from "./update";
import * as upsert from "./upsert";

/**
 * The payee endpoints, mounted at /api/v1/payees. The literal `batch` routes come before the
 * `{id}` routes: Hono tries routes in the order they were added, so `PUT /batch` can never be
 * taken for an update of a payee whose id is "batch".
 */
export const payeesRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(upsert.route, upsert.handler)
  .openapi(batchCreate.route, batchCreate.handler)
  .openapi(batchUpsert.route, batchUpsert.handler)
  .openapi(batchUpdate.route, batchUpdate.handler)
  .openapi(get.route, get.handler)
  .openapi(update.route, update.handler);

// Batch bodies validate each record on its own and only point at these schemas by $ref,
// so they are registered here to be sure the document defines them.
payeesRouter.openAPIRegistry.register("PayeeCreate", PayeeCreateSchema);
payeesRouter.openAPIRegistry.register("PayeeUpsert", PayeeUpsertSchema);
payeesRouter.openAPIRegistry.register("PayeeBatchUpdateRecord", PayeeBatchUpdateRecordSchema);
