/** Timestamps leave the API as ISO 8601 UTC, whatever the driver handed us. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}
