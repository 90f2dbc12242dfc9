import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createPgliteBackend } from "../../src/local/backends/pglite";
import { acquireDataLock, DataDirLocked, lockFileOf, startTimeOf } from "../../src/local/data-lock";

const root = mkdtempSync(join(tmpdir(), "disburse-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `db${n++}`);

/** A pid that certainly belongs to no running process: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

describe("the data directory lock", () => {
  it("names its owner and is released", () => {
    const dir = freshDir();
    const lock = acquireDataLock(dir, "test");
    const owner = JSON.parse(readFileSync(lockFileOf(dir), "utf8"));
    expect(owner).toMatchObject({ pid: process.pid, command: "test" });
    lock.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });

  it("refuses a second holder in the same process", () => {
    const dir = freshDir();
    const lock = acquireDataLock(dir);
    expect(() => acquireDataLock(dir)).toThrow(DataDirLocked);
    lock.release();
    acquireDataLock(dir).release();
  });

  it("refuses while another live process holds it, naming that process", async () => {
    const dir = freshDir();
    const child = spawn("sleep", ["30"]);
    try {
      await new Promise((r) => child.once("spawn", r));
      writeFileSync(
        lockFileOf(dir),
        JSON.stringify({ pid: child.pid, startTime: startTimeOf(child.pid!), command: "npm run dev", since: "earlier" }),
      );
      expect(() => acquireDataLock(dir)).toThrow(`in use by npm run dev (pid ${child.pid}`);
    } finally {
      child.kill();
    }
  });

  it("takes over a stale lock: its owner is gone, or its pid now belongs to another process", () => {
    const dir = freshDir();
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: deadPid(), command: "npm run dev", since: "earlier" }));
    acquireDataLock(dir).release();

    // Our own pid, but another start time: a pid reused after the owner died (common in containers).
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: process.ppid, startTime: "1", command: "npm run dev", since: "earlier" }));
    acquireDataLock(dir).release();

    writeFileSync(lockFileOf(dir), "{ half-written");
    acquireDataLock(dir).release();
  });

  it("is taken by the embedded database, so one directory is never open twice", async () => {
    const dir = freshDir();
    const first = await createPgliteBackend(dir);
    try {
      await expect(createPgliteBackend(dir)).rejects.toThrow(DataDirLocked);
    } finally {
      await first.close();
    }
    const again = await createPgliteBackend(dir);
    await again.close();
    expect(existsSync(lockFileOf(dir))).toBe(false);
  });
});
