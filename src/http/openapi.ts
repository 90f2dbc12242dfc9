import { z } from "@hono/zod-openapi";
import { errorCodes } from "./errors";

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.string().openapi({ example: "invalid_request_error" }),
      code: z.enum(Object.keys(errorCodes) as [keyof typeof errorCodes]).openapi({ example: "validation_error" }),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional().openapi({ description: "Validation messages by field path." }),
      request_id: z.string().openapi({ example: "req_01jd5m3k6v2q8r9t0w1x2y3z4a" }),
    }),
  })
  .openapi("Error");

const descriptions: Record<number, string> = {
  400: "Invalid request (see `error.code` and `error.fields`)",
  401: "Missing, unknown or revoked credentials",
  403: "The key lacks the scope, or the action is not allowed for this business",
  404: "Not found (or another business's object)",
  409: "Conflict",
  412: "If-Match does not match the current ETag; nothing was changed",
  413: "Body over 1 MiB",
  415: "Body is not JSON",
  422: "Idempotency-Key reused with another request",
  503: "Temporarily unavailable; safe to retry",
};

/** The error responses of a route, in the one envelope, for its OpenAPI entry. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s] ?? "Error", content: { "application/json": { schema: ErrorSchema } } }]),
  ) as Record<number, { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }>;
}
