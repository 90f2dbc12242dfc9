import { createMiddleware } from "hono/factory";
import { ApiError } from "./errors";

type Routes = readonly { method: string; path: string }[];

/**
 * The methods each path accepts, where a literal segment beats a parameter: `/payees/batch`
 * is the batch routes' path, so `GET /payees/batch` is a 405, not a lookup of a payee whose
 * id is "batch".
 *
 * Hono's own `hono/method-not-allowed` only turns a 404 into a 405 after the handlers ran:
 * it would let `GET /payees/:id` answer for `/payees/batch`, and a write with the wrong
 * method would meet the body checks first. So routing is checked here, before anything.
 */
export function routeMethodIndex(routes: Routes) {
  const byPattern = new Map<string, { re: RegExp; literals: number; methods: Set<string> }>();
  for (const { method, path } of routes) {
    if (method === "ALL" || path.includes("*")) continue;
    let entry = byPattern.get(path);
    if (!entry) {
      const parts = path.split("/");
      const source = parts.map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
      const literals = parts.filter((part) => part && !part.startsWith(":")).length;
      entry = { re: new RegExp(`^${source}/?$`), literals, methods: new Set() };
      byPattern.set(path, entry);
    }
    entry.methods.add(method);
    if (method === "GET") entry.methods.add("HEAD");
  }
  /** The methods that path accepts, or an empty list when no route has that path. */
  return (path: string): string[] => {
    let best = -1;
    const allowed = new Set<string>();
    for (const { re, literals, methods } of byPattern.values()) {
      if (!re.test(path) || literals < best) continue;
      if (literals > best) allowed.clear();
      best = literals;
      methods.forEach((m) => allowed.add(m));
    }
    return [...allowed].sort();
  };
}

export function methodNotAllowedError(method: string, path: string, allowed: string[]): ApiError {
  return new ApiError("method_not_allowed", `${method} is not allowed on ${path}.`, undefined, { Allow: allowed.join(", ") });
}

/**
 * A request whose path is known but whose method is not is a 405 with `Allow`, before auth,
 * body checks or any handler. OPTIONS goes on: a CORS preflight is answered by the routes
 * that allow it, and the not-found handler answers the rest with this same 405.
 */
export function rejectUnknownMethods(app: { routes: Routes }) {
  let allowedMethods: ((path: string) => string[]) | undefined;
  return createMiddleware(async (c, next) => {
    if (c.req.method !== "OPTIONS") {
      // Built on the first request, when every router has been mounted.
      allowedMethods ??= routeMethodIndex(app.routes);
      const allowed = allowedMethods(c.req.path);
      if (allowed.length && !allowed.includes(c.req.method)) throw methodNotAllowedError(c.req.method, c.req.path, allowed);
    }
    await next();
  });
}
