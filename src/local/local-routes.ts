import type { Env } from "../env";

type Fetch = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

/** A route that exists only in local runs: it gets the request, its parsed URL and the Worker's handlers. */
export type LocalRoute<H> = (request: Request, url: URL, env: Env, ctx: ExecutionContext, handlers: H) => Promise<Response>;

/**
 * Puts local-only routes in front of a Worker's handlers. They answer only when `SQL_ENDPOINT` is
 * set, which production never has (it points the driver at the local SQL server); anywhere else,
 * and for every other path, the request goes to the Worker unchanged.
 */
export function withLocalRoutes<H extends { fetch: Fetch }>(handlers: H, routes: Record<string, LocalRoute<H>>): H {
  return {
    ...handlers,
    async fetch(request: Request, env: Env, ctx: ExecutionContext) {
      if (env.SQL_ENDPOINT) {
        const url = new URL(request.url);
        const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
        if (route) return route(request, url, env, ctx, handlers);
      }
      return handlers.fetch(request, env, ctx);
    },
  };
}
