// A tiny app built with the real createApp(), for testing the shared request path (auth,
// guards, errors) apart from any endpoint group.
import { env } from "cloudflare:test";
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../../src/app";
import { requireScope } from "../../src/http/auth";
import { createRouter } from "../../src/http/router";

const echo = createRoute({
  method: "post",
  path: "/echo",
  middleware: [requireScope("write:payees")] as const,
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ name: z.string().min(1).max(5), amount: z.number().int().min(1) }).strict() } },
    },
  },
  responses: { 200: { description: "echo", content: { "application/json": { schema: z.object({ business_id: z.string() }) } } } },
});

const whoami = createRoute({
  method: "get",
  path: "/whoami",
  middleware: [requireScope("read:payees")] as const,
  responses: { 200: { description: "who", content: { "application/json": { schema: z.object({ business_id: z.string() }) } } } },
});

const router = createRouter()
  .openapi(echo, (c) => c.json({ business_id: c.var.auth.businessId }, 200))
  .openapi(whoami, (c) => c.json({ business_id: c.var.auth.businessId }, 200))
  .get("/boom", () => {
    throw new Error("secret internals: SELECT * FROM api_keys");
  });

const app = createApp({ "/t": router });

export function testApp(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: BodyInit } = {},
  withEnv: object = env,
) {
  return app.request(path, { method, headers: init.headers, body: init.body }, withEnv);
}
