import { OpenAPIHono, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError, fieldErrors } from "./errors";
import { jsonBody } from "./json-body";
import "./validation";

/** Runs after the route's own middleware (auth first), before hono's body validator. */
const bodyGuard = createMiddleware(async (c, next) => {
  await jsonBody(c);
  await next();
});

/** A query schema that refuses parameters it does not name, as bodies refuse unknown fields. */
function strictQuery(schema: unknown) {
  if (!(schema instanceof z.ZodObject)) return schema;
  // A clone of the schema itself, not a new object from its shape, so its own refinements
  // (a date range, a flag that needs its list) still run.
  return schema.clone({
    ...schema._zod.def,
    catchall: z.never(),
    error: (iss: { code?: string }) => (iss.code === "unrecognized_keys" ? "Unknown query parameter" : undefined),
  });
}

/**
 * Every router is made here, so every route gets the same request path whatever its group:
 * - every validation failure becomes the same 400 envelope with a `fields` map;
 * - a route with a body reads it with `jsonBody` after its own middleware (so a request
 *   without credentials is a 401 before its content type is looked at);
 * - a route with a query schema refuses unknown query parameters, naming them;
 * - a trailing slash means the same as none.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError("validation_error", "The request has invalid fields.", fieldErrors(result.error.issues));
      }
    },
  });
  const openapi = router.openapi;
  router.openapi = ((route: Parameters<typeof openapi>[0], ...rest: unknown[]) => {
    const own = route.middleware ? (Array.isArray(route.middleware) ? route.middleware : [route.middleware]) : [];
    const request = route.request && {
      ...route.request,
      ...(route.request.query ? { query: strictQuery(route.request.query) } : {}),
    };
    const middleware = route.request?.body ? [...own, bodyGuard] : own;
    return (openapi as (...args: unknown[]) => unknown)({ ...route, request, middleware }, ...rest);
  }) as typeof openapi;
  return router;
}
