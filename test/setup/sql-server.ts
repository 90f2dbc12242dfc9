import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    sqlUrl: string;
  }
}

/**
 * Starts the local SQL-over-HTTP server for the Worker tests: an in-memory PGlite, or the
 * Postgres at TEST_POSTGRES_URL (`npm run test:pg`). Migrations run first, as in `npm run dev`.
 *
 * It runs in a process of its own (src/local/sql-server-main.ts, as `npm run sql-server` and the
 * bench run it), not in vitest's: PGlite answers every query synchronously on the thread it runs
 * on, and vitest's main thread also serves the test runtimes their modules and results, so each
 * of the suite's tens of thousands of queries held up everything else in the run.
 */
export default async function setup(project: TestProject) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/sql-server-main.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      SQL_PORT: "0",
      SQL_DATA_DIR: "memory",
      LOCAL_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? "",
    },
  });
  const url = await listeningUrl(child);
  project.provide("sqlUrl", url);
  return () => stop(child);
}

/** The SQL endpoint's URL, which the server prints once it listens (after the migrations). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code, signal) => reject(new Error(`the local SQL server exited before it listened (${code ?? signal})`)));
    child.once("error", reject);
  });
}

/** SIGTERM: the server closes its backend and exits. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
