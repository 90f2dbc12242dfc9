/** The SQLSTATE of a database error, whether drizzle wrapped it (on `cause`) or not. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** SQLSTATE 23505: a unique index refused the row. */
export const isUniqueViolation = (err: unknown) => sqlState(err) === "23505";
