// The test pool's side of the comparison: `npx vitest run --config test/bench/queue-vs-workflows/vitest.config.ts`
// runs pool.test.ts against the prototype Worker in @cloudflare/vitest-pool-workers (not part of `npm test`).
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./test/bench/queue-vs-workflows/wrangler.toml" },
      miniflare: { bindings: { SUBMIT_TIMEOUT_MS: "200" } },
    }),
  ],
  test: { include: ["test/bench/queue-vs-workflows/*.test.ts"], testTimeout: 60_000 },
});
