import { createRoute, type RouteHandler, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../http/errors";
import { errorResponses } from "../../http/openapi";
import { logError } from "../../lib/log-error";
import { payoutRail } from "../../rails";
import { railWebhookSecret, verifyWebhook } from "../../rails/signing";
import { settleThroughLedger } from "../../services/payout-lifecycle/ledger";

const ReceiptSchema = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean().openapi({ description: "This webhook-id was seen before; nothing was changed." }),
    applied: z.boolean().openapi({ description: "The event moved the payout (false: replayed, backwards, or after a final status)." }),
  })
  .openapi("RailWebhookReceipt", { example: { received: true, duplicate: false, applied: true } });

/**
 * The signature covers the exact bytes, and the body validator consumes the body, so the raw text
 * is taken first from a clone (route middleware runs before the validators). Keyed by hono's request
 * object, which stays the same while the JSON body reader swaps `c.req.raw` for a normalised copy.
 */
const rawBodies = new WeakMap<object, Promise<string>>();
const keepRawBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  rawBodies.set(c.req, c.req.raw.clone().text());
  await next();
};

export const route = createRoute({
  method: "post",
  path: "/rails/{rail}",
  tags: ["Rail webhooks"],
  operationId: "receiveRailWebhook",
  summary: "Status events from a payout rail (Standard Webhooks)",
  description:
    "Called by a payout rail, not by API clients. Signed as the Standard Webhooks specification says: `webhook-id`, `webhook-timestamp` (at most 5 minutes off) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>` under the rail's secret `RAIL_WEBHOOK_SECRET_<RAIL>`). A bad or missing signature or a stale timestamp is a 401 and changes nothing; a `webhook-id` seen before is a 200 that changes nothing.",
  security: [],
  middleware: [keepRawBody] as const,
  request: {
    params: z.object({ rail: z.string().openapi({ example: "sandbox" }) }),
    headers: z.object({
      "webhook-id": z.string().optional().openapi({ example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W" }),
      "webhook-timestamp": z.string().optional().openapi({ example: "1732380000" }),
      "webhook-signature": z.string().optional().openapi({ example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=" }),
    }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.record(z.string(), z.unknown()).openapi({
            example: {
              type: "payment.settled",
              timestamp: "2026-11-23T19:00:00.000Z",
              data: {
                payment_id: "sbx_5f0c",
                idempotency_key: "pay_01jd5m3k6v2q8r9t0w1x2y3z4a",
                status: "settled",
                reason: "Paid to the creditor's account.",
                metadata: { business_id: "biz_01jd5m3k6v2q8r9t0w1x2y3z4a" },
              },
            },
          }),
        },
      },
    },
  },
  responses: {
    200: { description: "Received (also when replayed or ignored)", content: { "application/json": { schema: ReceiptSchema } } },
    ...errorResponses(400, 401, 404, 413, 415, 503),
  },
});

export const handler: RouteHandler<typeof route> = async (c) => {
  const name = c.req.param("rail");
  const rail = payoutRail(name, c.env);
  if (!rail) throw new ApiError("not_found", `No payout rail is named "${name}".`);
  const secret = railWebhookSecret(c.env as unknown as Record<string, unknown>, rail.name);
  if (!secret) throw new ApiError("unauthorized", `No webhook secret is configured for the ${rail.name} rail.`);

  const payload = await rawBodies.get(c.req);
  if (payload === undefined) throw new Error("the raw body was not kept");
  const verified = verifyWebhook(secret, payload, c.req.raw.headers);
  if (!verified.ok) throw new ApiError("unauthorized", `The webhook signature is not valid: ${verified.reason}`);
  const event = rail.parseEvent(verified.body);
  if (!event) throw new ApiError("validation_error", `The body is not a ${rail.name} rail payment event.`);

  let result;
  try {
    result = await settleThroughLedger(c.env, event.businessId, {
      rail: rail.name,
      webhookId: c.req.header("webhook-id")!,
      payoutId: event.payoutId,
      railStatus: event.railStatus,
      status: event.status,
      reason: event.reason,
    });
  } catch (err) {
    logError("rail webhook: could not apply the event", err);
    throw new ApiError("service_unavailable", "The event could not be recorded; deliver it again.");
  }
  return c.json({ received: true as const, duplicate: !result.fresh, applied: result.moved }, 200);
};
