import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";

const parsed = new Map<string, Set<string>>();

/** `PAYOUT_USER_CORS_ORIGINS`: comma-separated origins (`https://app.example.com`); none by default. */
function allowedOrigins(setting: string | undefined): Set<string> {
  const key = setting ?? "";
  let origins = parsed.get(key);
  if (!origins) {
    origins = new Set(
      key
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    );
    parsed.set(key, origins);
  }
  return origins;
}

/**
 * The payout user's own view is meant for their browser: it answers CORS preflight and carries
 * `Access-Control-Allow-Origin` for the configured origins, and no answer is ever cached (it is
 * a balance, behind a credential). The secret-key routes have no CORS at all: a secret key
 * belongs on a server.
 */
export const payoutUserCors = [
  createMiddleware<AppEnv>(async (c, next) => {
    c.header("Cache-Control", "no-store");
    await next();
  }),
  cors({
    origin: (origin, c) => (allowedOrigins((c.env as AppEnv["Bindings"]).PAYOUT_USER_CORS_ORIGINS).has(origin) ? origin : null),
    allowMethods: ["GET", "HEAD"],
    allowHeaders: ["Authorization"],
    exposeHeaders: ["X-Request-Id"],
    maxAge: 600,
  }),
];
