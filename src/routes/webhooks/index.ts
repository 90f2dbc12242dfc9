import { createRouter } from "../../http/router";
import * as rails from "./rails";

/** Inbound webhooks, mounted at /webhooks: no API key, each source proves itself by signature. */
export const webhooksRouter = createRouter().openapi(rails.route, rails.handler);
