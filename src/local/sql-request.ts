import type { IncomingHttpHeaders } from "node:http";
import { type BatchOptions, isIsolationLevel, type SqlQuery } from "./backend";

/** A POST /sql request as the Neon driver sends it, validated. */
export type SqlRequest =
  | { kind: "single"; query: SqlQuery; arrayMode: boolean; tag?: string }
  | { kind: "batch"; queries: SqlQuery[]; options: BatchOptions; arrayMode: boolean; tag?: string };

/** A request the driver would never send: answered 400 with `message` saying what is wrong. */
export class BadRequest extends Error {}

export function parseSqlRequest(body: string, headers: IncomingHttpHeaders): SqlRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new BadRequest(`request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new BadRequest('request body must be a JSON object: {"query", "params"} or {"queries": [...]}');

  // The driver always asks for array mode; honour its absence anyway, it costs nothing.
  const arrayMode = header(headers, "neon-array-mode") === "true";
  // A handle's own tag (in its connection string), else the request's (see src/db/client.ts).
  const tag = tagFrom(header(headers, "neon-connection-string")) ?? header(headers, "disburse-tag");

  if ("queries" in json) {
    if (!Array.isArray(json.queries)) throw new BadRequest('"queries" must be an array of {"query", "params"} objects');
    const queries = json.queries.map((q, i) => parseQuery(q, `queries[${i}]`));
    return { kind: "batch", queries, options: batchOptions(headers), arrayMode, tag };
  }
  return { kind: "single", query: parseQuery(json, "body"), arrayMode, tag };
}

function parseQuery(value: unknown, where: string): SqlQuery {
  if (!isObject(value)) throw new BadRequest(`${where} must be an object with "query" and "params"`);
  if (typeof value.query !== "string") throw new BadRequest(`${where}: "query" must be a string of SQL`);
  const rawParams: unknown = value.params ?? [];
  if (!Array.isArray(rawParams)) throw new BadRequest(`${where}: "params" must be an array`);
  const params = rawParams.map((p: unknown, i) => {
    // The driver serializes every value to Postgres text input (or null); scalars are accepted
    // for hand-written clients, anything structured is a client bug worth naming.
    if (p === null || typeof p === "string") return p;
    if (typeof p === "number" || typeof p === "boolean") return String(p);
    throw new BadRequest(`${where}: params[${i}] must be a string or null (Postgres text input), got ${JSON.stringify(p)}`);
  });
  return { query: value.query, params };
}

function batchOptions(headers: IncomingHttpHeaders): BatchOptions {
  const options: BatchOptions = {};
  const isolation = header(headers, "neon-batch-isolation-level");
  if (isolation !== undefined) {
    if (!isIsolationLevel(isolation)) {
      throw new BadRequest(
        `Neon-Batch-Isolation-Level must be ReadUncommitted, ReadCommitted, RepeatableRead or Serializable, got ${JSON.stringify(isolation)}`,
      );
    }
    options.isolationLevel = isolation;
  }
  const readOnly = booleanHeader(headers, "Neon-Batch-Read-Only");
  if (readOnly !== undefined) options.readOnly = readOnly;
  const deferrable = booleanHeader(headers, "Neon-Batch-Deferrable");
  if (deferrable !== undefined) options.deferrable = deferrable;
  return options;
}

function booleanHeader(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const value = header(headers, name.toLowerCase());
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw new BadRequest(`${name} must be "true" or "false", got ${JSON.stringify(value)}`);
  return value === "true";
}

/** A handle's round-trip counting tag rides in its connection string: `...?disburse_tag=ledger:biz_1`. */
function tagFrom(connectionString: string | undefined): string | undefined {
  if (!connectionString) return undefined;
  try {
    return new URL(connectionString).searchParams.get("disburse_tag") || undefined;
  } catch {
    return undefined;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
