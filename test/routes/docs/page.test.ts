import { describe, expect, it } from "vitest";
import { scalarScriptPath } from "../../../src/routes/docs";
import { call } from "../../harness";

describe("GET /docs", () => {
  it("is a page that loads the reference UI from this Worker, with a plain link for no-script browsers", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain(`<script src="${scalarScriptPath}"></script>`);
    expect(html).toMatch(/<noscript>[\s\S]*<a href="\/openapi\.json">\/openapi\.json<\/a>[\s\S]*<\/noscript>/);
    // Every script and stylesheet is our own: nothing on a CDN.
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
  // The asset itself is served by the runtime ahead of the Worker, which this pool's SELF bypasses:
  // test/browser/docs.test.ts fetches it from a running Worker.
});
