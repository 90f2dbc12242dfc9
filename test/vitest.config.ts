import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { buildAssets } from "../src/local/build-assets.mjs";

// wrangler.toml's [assets] directory must exist before the pool reads the configuration.
buildAssets();

// One config, two projects: plain Node tests (unit, local SQL server conformance, CLI)
// and Worker integration tests that run inside workerd against the local SQL server.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/unit/**/*.test.ts", "test/local/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                SQL_ENDPOINT: inject<string>("sqlUrl"),
                DATABASE_URL: "postgres://disburse:local@localhost/disburse",
                PAYOUT_HASH_SECRET: "test-secret-for-payout-user-hashes-0123456789",
                PAYOUT_USER_CORS_ORIGINS: "https://wallet.example, https://other.example",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: [
            "test/routes/**/*.test.ts",
            "test/http/**/*.test.ts",
            "test/ledger/**/*.test.ts",
            "test/harness/**/*.test.ts",
            "test/lifecycle/**/*.test.ts",
          ],
          globalSetup: ["test/setup/sql-server.ts"],
          setupFiles: ["test/setup/pool-prototype-fix.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
