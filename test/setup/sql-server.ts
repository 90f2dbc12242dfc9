import type { TestProject } from "vitest/node";
import { spawnSqlServer } from "../../src/local/sql-server-process";

declare module "vitest" {
  export interface ProvidedContext {
    sqlUrl: string;
  }
}

/**
 * Starts the local SQL-over-HTTP server for the Worker tests: an in-memory PGlite, or the
 * Postgres at TEST_POSTGRES_URL (`npm run test:pg`). Migrations run first, as in `npm run dev`.
 *
 * It runs in a process of its own, as in the bench: in vitest's, PGlite's synchronous queries held
 * up the main thread, which also serves the test runtimes their modules and results.
 */
export default async function setup(project: TestProject) {
  const server = await spawnSqlServer({ postgresUrl: process.env.TEST_POSTGRES_URL });
  project.provide("sqlUrl", server.url);
  return () => server.stop();
}
