import { sha256Hex } from "./digest";

/**
 * JSON with object keys sorted and no whitespace: two bodies that differ only in key order or
 * spacing have the same canonical form; any difference of value (case, type, number) remains.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * What an `Idempotency-Key` is bound to, for every POST of every group: the method, the path
 * and the canonical body. A retry matches when its fingerprint is equal.
 */
export function requestFingerprint(method: string, path: string, body: unknown): Promise<string> {
  return sha256Hex(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`);
}
