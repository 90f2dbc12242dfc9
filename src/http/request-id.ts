import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { newId } from "./ids";

/** Every response, errors included, carries the id its logs are filed under. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = newId("request");
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
});
