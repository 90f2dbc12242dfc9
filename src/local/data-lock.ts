import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { resolve } from "node:path";

/**
 * PGlite is a single-process database: two processes that open the same data directory both
 * write to it and one of them silently loses its writes (or corrupts the other's). So every
 * process that opens a persisted PGlite directory first takes `<dir>.lock`, a file created
 * exclusively that names its owner. A lock whose owner is gone (killed with SIGKILL, a crash,
 * a reboot that reused the pid) is stale and taken over.
 */
export interface LockOwner {
  pid: number;
  /** The owner's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for the owner. */
  startTime?: string;
  /** What holds it, for messages: "npm run dev", "npm run admin", ... */
  command: string;
  since: string;
}

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The database in ${dataDir} is in use by ${owner.command} (pid ${owner.pid}, since ${owner.since}); ` +
        "only one process may open it. Stop that process, or reach its database through it.",
    );
  }
}

export interface DataLock {
  file: string;
  release(): void;
}

/** Directories this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

export function lockFileOf(dataDir: string): string {
  return `${resolve(dataDir)}.lock`;
}

export function acquireDataLock(dataDir: string, command = describeProcess()): DataLock {
  const file = lockFileOf(dataDir);
  const me: LockOwner = { pid: process.pid, startTime: startTimeOf(process.pid), command, since: new Date().toISOString() };
  // Two tries: the second after removing a stale lock. Losing that race to another process is a refusal.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (held.has(file)) throw new DataDirLocked(dataDir, readOwner(file) ?? me);
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = readOwner(file);
      if (owner && isAlive(owner)) throw new DataDirLocked(dataDir, owner);
      // Stale (or unreadable: a writer that died between create and write): take it over.
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    held.add(file);
    const onExit = () => release();
    // A process that ends without closing its database (an uncaught error, process.exit) still lets go.
    process.once("exit", onExit);
    let released = false;
    function release() {
      if (released) return;
      released = true;
      held.delete(file);
      process.removeListener("exit", onExit);
      // Only remove the file while it is still ours: a stale-lock takeover may have replaced it.
      if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
    }
    return { file, release };
  }
  throw new DataDirLocked(dataDir, readOwner(file) ?? { pid: 0, command: "another process", since: "just now" });
}

/** The lock's owner when a live process holds it, else undefined. */
export function lockOwner(dataDir: string): LockOwner | undefined {
  const owner = readOwner(lockFileOf(dataDir));
  return owner && isAlive(owner) ? owner : undefined;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process, and (where the system tells) the same process that wrote the lock. */
export function isAlive(owner: Pick<LockOwner, "pid" | "startTime">): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: alive, but another user's.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.startTime === undefined) return true;
  const now = startTimeOf(owner.pid);
  return now === undefined || now === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function describeProcess(): string {
  const script = process.argv[1]?.split("/").pop() ?? "node";
  if (script.startsWith("dev.")) return "npm run dev";
  if (script.startsWith("admin-cli.")) return "npm run admin";
  if (script.startsWith("sql-server-main.")) return "npm run sql-server";
  return script;
}
