import { createRouter } from "../../http/router";
import * as create from "./create";
import * as get from "./get";
import * as list from "./list";
import * as transactions from "./transactions";

export const payoutUsersRouter = createRouter()
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(transactions.route, transactions.handler)
  .openapi(get.route, get.handler);
