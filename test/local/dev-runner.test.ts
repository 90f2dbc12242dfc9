// `npm run dev` end to end, on a temporary data directory and free ports: one instance only, the
// admin CLI finds it, a refused chunked upload leaves the Worker healthy, and a stop cleans up.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand, runCommand } from "../../src/local/admin-commands";
import { connect } from "../../src/local/connect";
import { passThroughVars } from "../../src/local/worker";

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), "disburse-dev-"));
let dev: ChildProcess;
let env: NodeJS.ProcessEnv;
let apiUrl: string;
let output = "";

/**
 * Free ports, all held open until every one is chosen: a port closed and asked for again can come
 * back the same, and the dev runner then saw PORT = SQL_PORT (a CI run failed on exactly that).
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const s = createServer().listen(0, "127.0.0.1", () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** What `npm run admin -- ...argv` does, in this process (spawning tsx costs seconds here). */
async function admin(...argv: string[]): Promise<Record<string, unknown>> {
  const conn = await connect(env);
  try {
    const { command, values } = parseCommand(argv);
    return (await runCommand(command, values, conn)) as Record<string, unknown>;
  } finally {
    await conn.close();
  }
}

const tsx = (script: string, args: string[] = [], extra: NodeJS.ProcessEnv = {}) =>
  run("node_modules/.bin/tsx", [script, ...args], { env: { ...env, ...extra } }).catch(
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

beforeAll(async () => {
  const [api, sql] = await freePorts(2);
  env = { ...process.env, DISBURSE_DATA_DIR: dataDir, PORT: String(api), SQL_PORT: String(sql), DEV_INSPECTOR: "" };
  apiUrl = `http://127.0.0.1:${api}`;
  dev = spawn("node_modules/.bin/tsx", ["src/local/dev.ts"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  dev.stdout!.on("data", (d) => (output += d));
  dev.stderr!.on("data", (d) => (output += d));
  for (let i = 0; i < 240 && !existsSync(join(dataDir, "dev-server.json")); i++) await new Promise((r) => setTimeout(r, 250));
  if (!existsSync(join(dataDir, "dev-server.json"))) throw new Error(`npm run dev did not start:\n${output}`);
}, 90_000);

afterAll(async () => {
  if (dev.exitCode === null) {
    try {
      process.kill(-dev.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("serves the API and leaves its URLs for other tools", async () => {
    const info = JSON.parse(readFileSync(join(dataDir, "dev-server.json"), "utf8"));
    expect(info).toMatchObject({ pid: expect.any(Number), apiUrl, sqlUrl: `http://127.0.0.1:${env.SQL_PORT}/sql` });
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    expect(output).toContain("Inspector:    off");
  });

  it("refuses a second start with one clear line", async () => {
    const second = await tsx(
      "src/local/dev.ts",
      [],
      await freePorts(2).then(([api, sql]) => ({ PORT: String(api), SQL_PORT: String(sql) })),
    );
    expect(second).toMatchObject({ code: 1 });
    const stderr = (second as { stderr: string }).stderr.trim();
    expect(stderr).toMatch(/^npm run dev: already running \(pid \d+\) on http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr.split("\n")).toHaveLength(1);
  });

  it("refuses one port for both servers with one clear line", async () => {
    const [port] = await freePorts(1);
    const same = await tsx("src/local/dev.ts", [], { PORT: String(port), SQL_PORT: String(port) });
    expect(same).toMatchObject({ code: 1 });
    expect((same as { stderr: string }).stderr.trim()).toBe(
      `npm run dev: PORT and SQL_PORT are both ${port}; the API and its SQL server need a port each.`,
    );
  });

  it("is what the admin CLI writes to, whatever its ports", async () => {
    const created = await admin("business:create", "--name", "Through dev");
    // Through its SQL server: opening the embedded database directly would have been refused.
    const conn = await connect(env);
    expect(conn.describe).toBe(`http://127.0.0.1:${env.SQL_PORT}/sql`);
    await conn.close();
    expect(await admin("business:show", "--business", created.id as string)).toMatchObject({ name: "Through dev" });
  });

  it("answers the request after a refused chunked upload over 1 MiB", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${apiUrl}/api/v1/payees`, { method: "POST", headers: { "Content-Type": "application/json" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      });
      // Seen once in CI (write ECONNRESET, not reproduced in 8 runs under load): say how far the
      // upload got and what the dev runner printed, so that a recurrence explains itself.
      req.on("error", (err) =>
        reject(new Error(`${err.message} after ${sent} of 40 chunks; npm run dev printed:\n${output.slice(-4000)}`)),
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const write = () => {
        while (sent < 40) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
    const next = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(10_000) });
    expect(next.status).toBe(200);
  });

  it("stops on SIGINT, releasing the database for direct use", async () => {
    const exited = new Promise((r) => dev.once("exit", r));
    process.kill(dev.pid!, "SIGINT");
    await exited;
    expect(existsSync(join(dataDir, "dev-server.json"))).toBe(false);
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    // Now the CLI opens the embedded database itself, and sees what it wrote through the server.
    const conn = await connect(env);
    expect(conn.describe).toBe(`PGlite in ${join(dataDir, "pglite")}`);
    await conn.close();
    expect(await admin("business:create", "--name", "Direct")).toMatchObject({ name: "Direct" });
  });
});

describe("Worker settings from the shell", () => {
  it("are passed through, except the ones the dev runner owns", () => {
    const vars = passThroughVars({ AUTH_CACHE_TTL_SECONDS: "5", LEDGER_MAX_BATCH: "1", DATABASE_URL: "postgres://x", HOME: "/root" }, [
      "DATABASE_URL",
    ]);
    expect(vars).toEqual({ AUTH_CACHE_TTL_SECONDS: "5", LEDGER_MAX_BATCH: "1" });
  });
});
