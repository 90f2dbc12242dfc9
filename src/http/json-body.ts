import type { Context } from "hono";
import { ApiError } from "./errors";

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A Content-Type header per RFC 9110 (`type/subtype *( OWS ";" OWS [ name=value ] )`): empty
 * parameters (`application/json;`) and spaces around `;` are allowed, quoted values too.
 * Undefined when the header is absent or does not parse.
 */
export function parseMediaType(header: string | undefined): { type: string; subtype: string; params: Map<string, string> } | undefined {
  if (header === undefined) return undefined;
  const [essence = "", ...rest] = splitParams(header);
  const slash = essence.indexOf("/");
  const type = essence.slice(0, slash).trim();
  const subtype = essence.slice(slash + 1).trim();
  if (slash < 0 || !token.test(type) || !token.test(subtype)) return undefined;
  const params = new Map<string, string>();
  for (const part of rest) {
    const param = part.trim();
    if (!param) continue;
    const eq = param.indexOf("=");
    const name = param.slice(0, eq);
    let value = param.slice(eq + 1);
    if (eq <= 0 || !token.test(name)) return undefined;
    if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) return undefined;
      value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    } else if (!token.test(value)) {
      return undefined;
    }
    params.set(name.toLowerCase(), value);
  }
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params };
}

/** Splits at `;` outside quoted strings. */
function splitParams(header: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i]!;
    if (quoted && ch === "\\") {
      current += ch + (header[++i] ?? "");
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** `application/json` or `application/<anything>+json`, in UTF-8 (JSON has no other charset). */
export function isJsonMediaType(header: string | undefined): boolean {
  const media = parseMediaType(header);
  if (!media || media.type !== "application") return false;
  if (media.subtype !== "json" && !media.subtype.endsWith("+json")) return false;
  const charset = media.params.get("charset")?.toLowerCase();
  return charset === undefined || charset === "utf-8" || charset === "utf8";
}

const parsed = new WeakMap<object, Promise<unknown>>();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The request body as JSON, read and checked once per request, whoever asks first (the
 * Idempotency-Key fingerprint, or the route's validator): a 415 for a body that is not JSON,
 * a 400 for bytes that are not UTF-8 or text that does not parse. Hono's validator then finds
 * the parsed value in the body cache and a plain `application/json` Content-Type, so it can
 * neither parse the body a second way nor answer a different status than this one.
 */
export function jsonBody(c: Context): Promise<unknown> {
  let body = parsed.get(c.req);
  if (!body) {
    body = readJsonBody(c);
    parsed.set(c.req, body);
  }
  return body;
}

async function readJsonBody(c: Context): Promise<unknown> {
  if (!isJsonMediaType(c.req.header("Content-Type"))) {
    throw new ApiError("unsupported_media_type", "Send the request body as JSON with 'Content-Type: application/json'.");
  }
  const bytes = await c.req.arrayBuffer();
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid UTF-8.");
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  const headers = new Headers(c.req.raw.headers);
  headers.set("Content-Type", "application/json");
  c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, body: source });
  const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
  cache.json = Promise.resolve(value);
  cache.text = Promise.resolve(source);
  return value;
}
