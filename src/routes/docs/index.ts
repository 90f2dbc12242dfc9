import { Hono } from "hono";
import type { AppEnv } from "../../app-env";

/**
 * Where the reference UI's script is served from: a Workers static asset (wrangler.toml
 * `[assets]`, copied from the pinned @scalar/api-reference by src/local/build-assets.mjs), so
 * /docs needs no CDN and works offline. Static assets are answered before the Worker runs.
 */
export const scalarScriptPath = "/docs/assets/scalar-api-reference.js";

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Disburse API</title>
</head>
<body>
  <noscript>
    <p>The interactive reference needs JavaScript. The API is described by its OpenAPI document:
      <a href="/openapi.json">/openapi.json</a>.</p>
  </noscript>
  <div id="api-reference"></div>
  <script src="${scalarScriptPath}"></script>
  <script>
    // Nothing that calls out: no CDN fonts, no telemetry, none of Scalar's hosted AI/MCP/developer tools.
    Scalar.createApiReference("#api-reference", {
      url: "/openapi.json",
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never",
      defaultOpenAllTags: true,
    });
  </script>
</body>
</html>
`;

/** GET /docs: the API reference UI (not an API operation, so not in the OpenAPI document). */
export const docsRouter = new Hono<AppEnv>().get("/docs", (c) => c.html(page));
