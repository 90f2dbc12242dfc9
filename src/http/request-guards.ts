import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError } from "./errors";

export const maxBodyBytes = 1024 * 1024;

/**
 * Bodies over 1 MiB (or a large-body route's own limit) are refused whether or not they declare a Content-Length. The rest of a
 * refused body is read and dropped before the 413 goes out: answering while the client is still
 * sending made workerd drop the connection it came in on, which `wrangler dev`'s proxy reports
 * as a crash, so the next request hung or got its 503 "Your worker restarted mid-request"
 * (issue 7). Draining stops after `maxDrainBytes` (Cloudflare refuses bodies over 100 MB before
 * they reach a Worker); beyond that the stream is cancelled.
 */
export const maxDrainBytes = 100 * 1024 * 1024;

/** Routes allowed a larger body than maxBodyBytes: method, path pattern, limit. */
export const largeBodyRoutes: { method: string; path: RegExp; maxBytes: number }[] = [
  { method: "POST", path: /^\/v1\/businesses\/[^/]+\/payouts\/bulk\/?$/, maxBytes: 10 * 1024 * 1024 },
];

export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  const body = c.req.raw.body;
  if (!body) return next();
  const maxBytes = largeBodyRoutes.find((r) => r.method === c.req.method && r.path.test(c.req.path))?.maxBytes ?? maxBodyBytes;
  const tooLarge = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
    for (let drained = 0; drained <= maxDrainBytes; ) {
      const { done, value } = await reader.read();
      if (done) break;
      drained += value.byteLength;
    }
    await reader.cancel().catch(() => {});
    throw new ApiError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  };
  const declared = c.req.raw.headers.get("content-length");
  if (declared !== null && !c.req.raw.headers.has("transfer-encoding")) {
    if (Number(declared) > maxBytes) return tooLarge(body.getReader());
    return next();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) return tooLarge(reader);
    chunks.push(value);
  }
  const buffer = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    buffer.set(chunk, offset);
    offset += chunk.byteLength;
  }
  c.req.raw = new Request(c.req.raw, { body: buffer });
  return next();
});
