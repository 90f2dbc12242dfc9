import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError } from "./errors";

export const maxBodyBytes = 1024 * 1024;

const methodsWithBody = new Set(["POST", "PUT", "PATCH"]);

/** Write requests must carry JSON; anything else is a 415 before any parsing happens. */
export const requireJson = createMiddleware<AppEnv>(async (c, next) => {
  if (methodsWithBody.has(c.req.method)) {
    const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json" && !type?.endsWith("+json")) {
      throw new ApiError("unsupported_media_type", "Send the request body as JSON with 'Content-Type: application/json'.");
    }
  }
  await next();
});

/** Bodies over 1 MiB are refused whether or not they declare a Content-Length. */
const defaultBodyLimit = sizedBodyLimit(maxBodyBytes);

/** Routes allowed a larger body than maxBodyBytes: method, path pattern, limit. */
export const largeBodyRoutes: { method: string; path: RegExp; maxBytes: number }[] = [
  { method: "POST", path: /^\/v1\/businesses\/[^/]+\/payouts\/bulk\/?$/, maxBytes: 10 * 1024 * 1024 },
];
const largeBodyLimits = largeBodyRoutes.map((r) => ({ ...r, limit: sizedBodyLimit(r.maxBytes) }));

export const limitBody = createMiddleware<AppEnv>((c, next) => {
  const large = largeBodyLimits.find((r) => r.method === c.req.method && r.path.test(c.req.path));
  return (large?.limit ?? defaultBodyLimit)(c, next);
});

function sizedBodyLimit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError("payload_too_large", `The request body is larger than ${maxSize} bytes.`);
    },
  });
}
