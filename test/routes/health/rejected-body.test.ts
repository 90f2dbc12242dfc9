import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectError, seedBusiness } from "../../harness";

/** A chunked body (no Content-Length) of `total` bytes that records how much of it was read. */
function countingBody(total: number) {
  const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
  const progress = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (progress.pulled >= total) return controller.close();
      progress.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, progress };
}

describe("a body refused as too large", () => {
  it("is read to its end before the 413, and the Worker answers the next request", async () => {
    const { auth } = await seedBusiness();
    const total = 3 * 1024 * 1024;
    const { stream, progress } = countingBody(total);
    const res = await SELF.fetch("http://disburse.test/api/v1/payees", {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: stream,
    });
    await expectError(res, 413, "payload_too_large");
    // Left half-read, the stream kept `wrangler dev`'s connection busy and the next request failed.
    expect(progress.pulled).toBe(total);

    const next = await call("GET", "/health");
    expect(next.status).toBe(200);
  });
});
