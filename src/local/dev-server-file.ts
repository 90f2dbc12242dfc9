import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { isAlive, startTimeOf } from "./data-lock";

/** What a running `npm run dev` leaves in the data directory for other local tools. */
export interface DevServerInfo {
  pid: number;
  startTime?: string;
  /** The API, e.g. http://127.0.0.1:8787 */
  apiUrl: string;
  /** Its SQL-over-HTTP server (what SQL_ENDPOINT would be), e.g. http://127.0.0.1:8788/sql */
  sqlUrl: string;
}

export function writeDevServerFile(file: string, info: Omit<DevServerInfo, "pid" | "startTime">): void {
  const me = { pid: process.pid, startTime: startTimeOf(process.pid) };
  writeFileSync(file, JSON.stringify({ ...me, ...info }, null, 2), { mode: 0o600 });
}

/** The running dev server, or undefined when there is none (a file left by a killed one is removed). */
export function readDevServerFile(file: string): DevServerInfo | undefined {
  let info: DevServerInfo;
  try {
    info = JSON.parse(readFileSync(file, "utf8")) as DevServerInfo;
  } catch {
    return undefined;
  }
  if (Number.isInteger(info.pid) && isAlive(info)) return info;
  rmSync(file, { force: true });
  return undefined;
}

/** Removes the file if this process wrote it. */
export function removeDevServerFile(file: string): void {
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as DevServerInfo).pid !== process.pid) return;
  } catch {
    return;
  }
  rmSync(file, { force: true });
}
