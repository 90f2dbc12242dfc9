/**
 * Postgres's own text for a timestamptz in a UTC session, as the driver hands it over
 * ("2026-01-20 00:07:00.123456+00"). It is not ISO 8601, so the Date parser takes it by its slow
 * legacy path: a page of 50 payouts has a hundred of them, most of the list's own CPU.
 */
const postgresUtc = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/**
 * Timestamps leave the API as ISO 8601 UTC with milliseconds, whatever the driver handed us.
 * Postgres's UTC text is rewritten as text (the digits cut to milliseconds, as the Date parser
 * does); anything else goes through Date.
 */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const utc = postgresUtc.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? "").padEnd(3, "0").slice(0, 3)}Z`;
  return new Date(text).toISOString();
}
