import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { buildAssets } from "../src/local/build-assets.mjs";
import { useRamTmpdir } from "../src/local/ram-tmpdir";
import { LongestFirstSequencer } from "./setup/sequencer";

// wrangler.toml's [assets] directory must exist before the pool reads the configuration.
buildAssets();

// Durable Object storage in RAM: test storage is thrown away at the end (src/local/ram-tmpdir.ts).
useRamTmpdir();

// One config, two projects: plain Node tests (unit, local SQL server conformance, CLI)
// and Worker integration tests that run inside workerd against the local SQL server.
export default defineConfig({
  test: {
    // Most of a test's time is spent waiting on workerd, the SQL server, queues and timers, not on
    // the CPU: vitest's default of one worker per core but one (a single worker on 2 cores) left
    // the machine idle half the time.
    maxWorkers: 3,
    sequence: { sequencer: LongestFirstSequencer },
    // With one runtime for every file, work a test leaves running in the background (a queue
    // consumer, a sandbox rail's alarm) can still be waiting on a module resolution through the
    // file's RPC channel when vitest closes it at the end of the file, and vitest then rejects the
    // pending call ("Closing rpc while "resolve" was pending"; seen in 1 of 6 full runs, and after
    // every test timeout). That is bookkeeping between files, not a failure of the code under test:
    // only that message is ignored, every other unhandled error still fails the run.
    onUnhandledError: (error) => !/Closing rpc while "resolve" was pending/.test(error.message ?? ""),
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          // Files share their worker processes: a fresh process per file cost about a second of CPU
          // each (26 files). Nothing global is changed but neon's type parsers, by drizzle().
          isolate: false,
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
                // The sandbox rail's pause between events (300 ms in wrangler.toml, for watching a
                // payout move under \`npm run dev\`): tests wait for outcomes, not for the pause.
                SANDBOX_RAIL_DELAY_MS: "30",
              },
            },
          })),
        ],
        test: {
          name: "workers",
          // One runtime for every file: with isolation each test file started its own Miniflare
          // (a workerd process) and imported the whole app again through vite's module runner,
          // 81 of the suite's 228 s. Files share nothing but the database (every test seeds its
          // own businesses) and the Durable Objects, named after those businesses.
          isolate: false,
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
