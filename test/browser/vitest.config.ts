import { defineConfig } from "vitest/config";

// `npm run test:browser`: the API reference in a real Chromium (Debian's /usr/bin/chromium),
// apart from `npm test` because it needs that browser installed.
export default defineConfig({
  test: {
    name: "browser",
    environment: "node",
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
