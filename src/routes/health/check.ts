import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({ ok: z.boolean(), round_trip_ms: z.number().nullable(), error: z.string().optional() }),
  })
  .openapi("Health");

export const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Health of the API and its database round trip",
  // Public: documented as needing no credentials (the document's default is an API key).
  security: [],
  responses: {
    200: { description: "The API and its database answer", content: { "application/json": { schema: HealthSchema } } },
    503: { description: "The database does not answer", content: { "application/json": { schema: HealthSchema } } },
  },
});

export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const started = performance.now();
  try {
    await c.var.db.execute(sql`SELECT 1`);
    return c.json({ status: "ok" as const, database: { ok: true, round_trip_ms: Math.round(performance.now() - started) } }, 200);
  } catch (err) {
    console.error("health: database check failed", err);
    return c.json({ status: "degraded" as const, database: { ok: false, round_trip_ms: null, error: "database unreachable" } }, 503);
  }
};
