import type { RouteHandler } from "@hono/zod-openapi";
import { createRoute, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { createDb } from "../../db/client";
import { checkConfig } from "../../env";
import { errorResponses } from "../../http/openapi";
import { pingDatabase } from "../../services/health";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded", "misconfigured"]),
    configuration: z.object({
      ok: z.boolean(),
      problems: z
        .array(z.object({ setting: z.string(), problem: z.string() }))
        .optional()
        .openapi({ description: "Each missing or invalid setting, by name (values are never shown)." }),
    }),
    database: z.object({ ok: z.boolean(), round_trip_ms: z.number().nullable(), error: z.string().optional() }),
  })
  .openapi("Health", {
    example: { status: "ok", configuration: { ok: true }, database: { ok: true, round_trip_ms: 4 } },
  });

export const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Health of the API: its configuration and its database round trip",
  security: [],
  // Like every route, it names a query parameter it does not know instead of ignoring it.
  request: { query: z.object({}).strict() },
  responses: {
    200: { description: "The API is configured and its database answers", content: { "application/json": { schema: HealthSchema } } },
    ...errorResponses(400),
    503: {
      description:
        "A required setting is missing or invalid (`misconfigured`, with their names), or the database does not answer (`degraded`)",
      content: {
        "application/json": {
          schema: HealthSchema,
          example: {
            status: "misconfigured",
            configuration: { ok: false, problems: [{ setting: "PAYOUT_HASH_SECRET", problem: "missing" }] },
            database: { ok: false, round_trip_ms: null, error: "not checked: the configuration is invalid" },
          },
        },
      },
    },
  },
});

/**
 * Mounted ahead of the configuration middleware (app.ts), so a Worker deployed without a
 * secret answers here with what is missing instead of failing like every other route.
 */
export const handler: RouteHandler<typeof route, AppEnv> = async (c) => {
  const check = checkConfig(c.env);
  if (!check.ok) {
    return c.json(
      {
        status: "misconfigured" as const,
        configuration: { ok: false, problems: check.problems },
        database: { ok: false, round_trip_ms: null, error: "not checked: the configuration is invalid" },
      },
      503,
    );
  }
  const ping = await pingDatabase(createDb(check.config, c.var.requestId));
  const body = { configuration: { ok: true }, database: ping };
  return ping.ok ? c.json({ status: "ok" as const, ...body }, 200) : c.json({ status: "degraded" as const, ...body }, 503);
};
