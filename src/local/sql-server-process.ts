import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The local SQL server (src/local/sql-server-main.ts) running in a process of its own. */
export interface SqlServerProcess {
  /** The SQL endpoint (`neonConfig.fetchEndpoint`). */
  url: string;
  pid: number;
  /** SIGTERM: the server closes its backend and exits; SIGKILL if it has not within 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts the local SQL server in a process of its own, for the test suite and the bench: an
 * in-memory PGlite, or the Postgres at `postgresUrl`; migrations applied; on a free port. Its own
 * process because PGlite answers each query synchronously on the thread it runs on, which would
 * otherwise be the thread of the test runner or the load generator.
 */
export async function spawnSqlServer(opts: { postgresUrl?: string } = {}): Promise<SqlServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/sql-server-main.ts"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    // The IPC channel closes when this process goes, however it goes: the server then exits (no orphan).
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    env: {
      ...process.env,
      // The server's own settings, not whatever the shell set for `npm run dev`.
      SQL_PORT: "0",
      SQL_HOST: "127.0.0.1",
      SQL_DATA_DIR: "memory",
      SQL_LATENCY_MS: "0",
      SQL_LOG: "",
      LOCAL_POSTGRES_URL: opts.postgresUrl ?? "",
    },
  });
  const url = await listeningUrl(child);
  let stopping = false;
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`the local SQL server exited while in use (${code ?? signal}): nothing after this reaches a database`);
  });
  return {
    url,
    pid: child.pid!,
    stop: () => {
      stopping = true;
      return stop(child);
    },
  };
}

/** The SQL endpoint's URL, which the server prints once it listens (after the migrations). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    // Read to the end, so that the server never blocks on a full pipe.
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code, signal) => reject(new Error(`the local SQL server exited before it listened (${code ?? signal})`)));
    child.once("error", reject);
  });
}

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
