import { createRouter } from "../../http/router";
import * as fund from "./fund";
import * as get from "./get";

export const balanceRouter = createRouter().openapi(get.route, get.handler).openapi(fund.route, fund.handler);
