import type { TestProject } from "vitest/node";
import { applyMigrations, openBackend } from "../../src/local/open-backend";
import { startSqlServer } from "../../src/local/sql-server";

declare module "vitest" {
  export interface ProvidedContext {
    sqlUrl: string;
  }
}

/**
 * Starts the local SQL-over-HTTP server for the Worker tests: an in-memory PGlite, or the
 * Postgres at TEST_POSTGRES_URL (`npm run test:pg`). Migrations run first, as in `npm run dev`.
 */
export default async function setup(project: TestProject) {
  const backend = await openBackend({ postgresUrl: process.env.TEST_POSTGRES_URL });
  await applyMigrations(backend);
  const server = await startSqlServer({ backend, port: 0 });
  project.provide("sqlUrl", server.url);
  return async () => {
    await server.close();
    await backend.close();
  };
}
