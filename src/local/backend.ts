/**
 * The database behind the local stand-in for Neon's SQL-over-HTTP endpoint.
 * Two implementations: embedded PGlite (zero setup) and a real Postgres (`pg` pool).
 * Both hand back rows exactly as Postgres text output, because the Neon driver applies
 * its own pg-types parsers by type id; parsing here would double-parse.
 */

export interface SqlQuery {
  query: string;
  /** Already serialized by the driver: strings (bytea as "\\x..", arrays as literals) or null. */
  params: unknown[];
}

export interface RawResult {
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
  command: string;
  rowCount: number;
}

export interface BatchOptions {
  /** The driver's names: ReadUncommitted | ReadCommitted | RepeatableRead | Serializable. */
  isolationLevel?: string;
  readOnly?: boolean;
  deferrable?: boolean;
}

export interface SqlBackend {
  query(q: SqlQuery): Promise<RawResult>;
  /** All queries in ONE transaction; any error rolls the whole batch back and is rethrown. */
  batch(qs: SqlQuery[], opts: BatchOptions): Promise<RawResult[]>;
  /** Multi-statement script over the simple protocol (migrations); statements share one implicit transaction. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  readonly kind: "pglite" | "postgres";
}

/** The error fields a Postgres ErrorResponse carries and the Neon driver copies onto its error. */
export const PG_ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

export type PgErrorField = (typeof PG_ERROR_FIELDS)[number];

/**
 * A Postgres error (SQLSTATE in `code`). Backends convert their client library's error into this
 * so the HTTP layer does not depend on pg or PGlite error classes.
 */
export class SqlError extends Error {
  readonly fields: Partial<Record<PgErrorField, string>>;

  constructor(message: string, fields: Partial<Record<PgErrorField, string>>) {
    super(message);
    this.name = "SqlError";
    this.fields = fields;
  }

  get code(): string | undefined {
    return this.fields.code;
  }
}

/**
 * pg and PGlite both raise pg-protocol's DatabaseError; recognise it by shape (a severity and a
 * SQLSTATE), not by class, since PGlite bundles its own copy. Anything else (connection refused,
 * a bug) is rethrown untouched so it surfaces as a server error rather than a fake SQL error.
 */
export function toSqlError(err: unknown): unknown {
  if (err instanceof SqlError || !(err instanceof Error)) return err;
  const e = err as Error & Record<string, unknown>;
  if (typeof e.severity !== "string" || typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return err;
  const fields: Partial<Record<PgErrorField, string>> = {};
  for (const key of PG_ERROR_FIELDS) {
    const value = e[key];
    if (value !== undefined && value !== null) fields[key] = String(value);
  }
  return new SqlError(e.message, fields);
}

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  Serializable: "SERIALIZABLE",
};

export function isIsolationLevel(value: string): boolean {
  return Object.hasOwn(ISOLATION_LEVELS, value);
}

/** The transaction_mode list for `BEGIN <modes>` / `SET TRANSACTION <modes>`; "" when nothing was asked for. */
export function transactionModes(opts: BatchOptions): string {
  const modes: string[] = [];
  if (opts.isolationLevel !== undefined) {
    const level = ISOLATION_LEVELS[opts.isolationLevel];
    if (!level) throw new Error(`unknown isolation level ${JSON.stringify(opts.isolationLevel)}`);
    modes.push(`ISOLATION LEVEL ${level}`);
  }
  if (opts.readOnly !== undefined) modes.push(opts.readOnly ? "READ ONLY" : "READ WRITE");
  if (opts.deferrable !== undefined) modes.push(opts.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE");
  return modes.join(", ");
}
