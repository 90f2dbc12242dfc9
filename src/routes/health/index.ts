import { createRouter } from "../../http/router";
import * as check from "./check";

export const healthRouter = createRouter().openapi(check.route, check.handler);
