import { createRouter } from "../../http/router";
import * as batch from "./batch";
import * as create from "./create";
import * as get from "./get";
import * as list from "./list";

/** The payout endpoints, mounted at /api/v1/payouts. Literal paths (`/batch`) go before `/{id}`. */
export const payoutsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(batch.route, batch.handler)
  .openapi(get.route, get.handler);
