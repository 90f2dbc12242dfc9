import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SqlBackend, type SqlQuery, toSqlError, transactionModes } from "../backend";
import { acquireDataLock } from "../data-lock";
import { type AnalyzeAfter, AutoAnalyze } from "./pglite-analyze";
import { PgliteWire } from "./pglite-wire";

/**
 * In-memory when `dataDir` is absent, else persisted there, under a lock file that keeps every
 * other process out of the directory (see data-lock.ts) until `close()`.
 * PGlite is a single connection: every query and batch runs under its exclusive lock
 * (pglite-wire.ts), so a batch is never interleaved with other requests.
 */
export async function createPgliteBackend(dataDir?: string, analyzeAfter?: AnalyzeAfter): Promise<SqlBackend> {
  // PGlite only creates the last path segment; "memory://" and other PGlite URLs are not paths.
  const onDisk = dataDir !== undefined && !dataDir.includes("://");
  if (onDisk) mkdirSync(dataDir, { recursive: true });
  const lock = onDisk ? acquireDataLock(dataDir) : undefined;
  const fresh = dataDir === undefined || (onDisk && !existsSync(join(dataDir, "PG_VERSION")));
  let db: PGlite;
  try {
    db = fresh ? await createFresh(dataDir) : await PGlite.create({ dataDir });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const analyze = new AutoAnalyze(db, analyzeAfter);
  const wire = new PgliteWire(db);
  /** Every query and batch: one message to PGlite, and its written rows counted toward the next ANALYZE. */
  const run = async (queries: SqlQuery[], modes?: string) => {
    const results = await wire.run(queries, modes);
    analyze.note(results);
    return results;
  };

  return {
    kind: "pglite",

    async query(q) {
      try {
        const [result] = await run([q]);
        if (!result) throw new Error("PGlite answered no result");
        return result;
      } catch (err) {
        throw toSqlError(err);
      }
    },

    async batch(qs, opts) {
      const modes = transactionModes(opts);
      try {
        return await run(qs, modes);
      } catch (err) {
        throw toSqlError(err);
      }
    },

    async exec(sql) {
      try {
        await db.exec(sql);
      } catch (err) {
        throw toSqlError(err);
      }
    },

    async close() {
      try {
        await analyze.idle();
        if (!db.closed) await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * A new cluster costs PGlite an initdb in WebAssembly: 2-4 s of CPU, paid by every test file and
 * every test that opens a database. A fresh cluster is the same every time, so a new database
 * (in memory, or in a data directory that holds none yet) starts from a dump of one instead
 * (about 0.5 s): made once per PGlite version and kept in the temp directory, so that every
 * process (each test file runs in its own) shares it. Anything wrong with the dump falls back
 * to initdb.
 */
export async function createFresh(dataDir?: string): Promise<PGlite> {
  const file = freshClusterFile();
  try {
    return await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), loadDataDir: new Blob([readFileSync(file)]) });
  } catch {
    // No dump yet, or an unusable one: make it below.
  }
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  try {
    const dump = Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer());
    // Written aside and renamed, so a concurrent reader never sees half a dump.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, file);
  } catch {
    // Only a cache: the database itself is fine.
  }
  return db;
}

function freshClusterFile(): string {
  let version = "unknown";
  try {
    // The package's exports hide package.json; it sits one level above the entry (dist/).
    const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
    version = (JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    // The version only keys the cache.
  }
  return join(tmpdir(), `disburse-pglite-${version}-fresh-cluster.tar`);
}
