import { createRouter } from "../../http/router";
import * as get from "./get";
import * as list from "./list";
import * as put from "./put";

/** The payout request endpoints (Rebilly's payout requests), mounted at /api/v1/payout-requests. */
export const payoutRequestsRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(get.route, get.handler)
  .openapi(put.route, put.handler);
