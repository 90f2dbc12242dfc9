import type { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./app-env";
import { createDb, withSqlTag } from "./db/client";
import { sqlState } from "./db/errors";
import { config } from "./env";
import { ApiError, errorBody } from "./http/errors";
import { methodNotAllowedError, rejectUnknownMethods, routeMethodIndex } from "./http/method-not-allowed";
import { ErrorSchema } from "./http/openapi";
import { countAuthFailures, documentRateLimits } from "./http/rate-limit";
import { limitBody } from "./http/request-guards";
import { createRouter } from "./http/router";
import { newId } from "./lib/ids";
import { logError } from "./lib/log-error";
import { docsRouter } from "./routes/docs";
import { serveOpenApiDocument } from "./routes/docs/openapi-document";
import { healthRouter } from "./routes/health";

type Router = Hono<AppEnv, any, any>;

/**
 * The whole request path: request id, config and database handle on `c.var`, body guards,
 * the routers, and one error envelope for everything. `routers` lets a per-group Worker
 * (functions/<group>.ts) mount only its own group.
 */
export function createApp(routers: Record<string, Router>) {
  const app = createRouter();

  // Our own `req_` ULIDs, never an id the client sent (limitLength 0 refuses every incoming one):
  // the id is what logs and the local round-trip counter are filed under.
  app.use("*", requestId({ generator: () => newId("request"), headerName: "X-Request-Id", limitLength: 0 }));
  // Before the configuration check: /health reports a bad configuration instead of failing on it.
  app.route("/", healthRouter);
  app.use("*", async (c, next) => {
    const cfg = config(c.env);
    c.set("config", cfg);
    c.set("db", createDb(cfg));
    await withSqlTag(c.var.requestId, next);
  });
  app.use("*", countAuthFailures);
  app.use("*", rejectUnknownMethods(app), limitBody);

  for (const [base, router] of Object.entries(routers)) app.route(base, router);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerComponent("securitySchemes", "basicAuth", { type: "http", scheme: "basic" });
  app.openAPIRegistry.registerComponent("securitySchemes", "payoutUserHash", {
    type: "http",
    scheme: "bearer",
    description: "A payout user's hash, for GET /api/v1/payout-user only.",
  });
  documentRateLimits(app.openAPIRegistry, ErrorSchema);
  serveOpenApiDocument(app, "/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Disburse API",
      version: "1.0.0",
      description: "Pay people: payees, payout users and the business balance. Errors share one envelope; amounts are integer minor units.",
    },
    security: [{ bearerAuth: [] }, { basicAuth: [] }],
  });
  app.route("/", docsRouter);

  const allowedMethods = routeMethodIndex(app.routes);
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length) throw methodNotAllowedError(c.req.method, c.req.path, allowed);
    throw new ApiError("route_not_found", `No route matches ${c.req.method} ${c.req.path}.`);
  });

  app.onError((err, c) => {
    const apiError = toApiError(err);
    // A 5xx we chose (a retryable 503 after a failed write, whose cause was logged where it failed) is
    // one line; anything else is a bug, logged with its stack.
    if (err instanceof ApiError && err.status >= 500)
      console.error(`request ${c.var.requestId} answered ${err.status} ${err.code}: ${err.message}`);
    else if (apiError.status >= 500) logError(`request ${c.var.requestId} failed`, err);
    for (const [name, value] of Object.entries(apiError.headers ?? {})) c.header(name, value);
    return c.json(errorBody(apiError, c.var.requestId ?? "unknown"), apiError.status);
  });

  return app;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // The body is parsed and its media type checked once, by jsonBody(), before hono's validator
  // sees it; should the validator still refuse one, its answer keeps its status.
  if (err instanceof HTTPException && err.status === 400) {
    return new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  if (err instanceof HTTPException && err.status === 415) {
    return new ApiError("unsupported_media_type", "Send the request body as JSON with 'Content-Type: application/json'.");
  }
  // Postgres refused a value the schemas let through (class 22: data exception), such as a NUL
  // character or an unpaired surrogate in a string: the client's input, so a 400, not a 500.
  if (sqlState(err)?.startsWith("22")) {
    return new ApiError("validation_error", "The request contains a value the database cannot store (for example a NUL character).");
  }
  return new ApiError("internal_error", "Something went wrong on our side. Retry, and quote the request id if it persists.");
}
