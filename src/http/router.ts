import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { ApiError, fieldErrors } from "./errors";

/**
 * Every router is made here so that every validation failure, whatever the route,
 * becomes the same 400 envelope with a `fields` map.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError("validation_error", "The request has invalid fields.", fieldErrors(result.error.issues));
      }
    },
  });
}
