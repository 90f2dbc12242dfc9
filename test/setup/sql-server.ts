import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
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
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    // The IPC channel closes when vitest goes, however it goes: the server then exits (no orphan).
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    env: {
      ...process.env,
      // The server's own settings, not whatever the shell set for `npm run dev` or the bench.
      SQL_PORT: "0",
      SQL_HOST: "127.0.0.1",
      SQL_DATA_DIR: "memory",
      SQL_LATENCY_MS: "0",
      SQL_LOG: "",
      LOCAL_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? "",
    },
  });
  const url = await listeningUrl(child);
  const died = (code: number | null, signal: string | null) =>
    console.error(`the local SQL server exited during the run (${code ?? signal}): the Worker tests after this cannot reach a database`);
  child.on("exit", died);
  project.provide("sqlUrl", url);
  return () => {
    child.off("exit", died);
    return stop(child);
  };
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

/** SIGTERM: the server closes its backend and exits; SIGKILL if it has not within 5 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
