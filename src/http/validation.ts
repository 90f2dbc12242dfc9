import { z } from "@hono/zod-openapi";

/**
 * The one place validation messages come from. Every schema of every group is parsed under
 * this map, so "Required" or "Must be a valid email address" read the same everywhere; a
 * schema only brings its own message where it knows something the map cannot (cents, say).
 * Unknown keys are worded per key by `fieldErrors` (errors.ts), which files them one by one.
 */
z.config({
  customError: (iss) => {
    switch (iss.code) {
      case "invalid_type":
        if (iss.input === undefined) return "Required";
        if (iss.input === null) return "Must not be null";
        return `Must be ${article(iss.expected)}`;
      case "invalid_format":
        if (iss.format === "email") return "Must be a valid email address";
        if (iss.format === "regex") return "Has an invalid format";
        return `Must be a valid ${iss.format}`;
      case "invalid_value":
        return `Must be one of: ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
      case "too_small":
        return bound("least", iss.origin, iss.minimum, iss.inclusive);
      case "too_big":
        return bound("most", iss.origin, iss.maximum, iss.inclusive);
      case "unrecognized_keys":
        return "Unknown field";
      case "invalid_union":
        return "Has an invalid type";
      default:
        return undefined;
    }
  },
});

function article(expected: string): string {
  const names: Record<string, string> = { int: "an integer", object: "an object", array: "an array", undefined: "absent" };
  return names[expected] ?? `a ${expected}`;
}

function bound(side: "least" | "most", origin: string, limit: number | bigint, inclusive?: boolean): string {
  const n = inclusive === false ? (side === "least" ? `more than ${limit}` : `less than ${limit}`) : `at ${side} ${limit}`;
  if (origin === "string") return `Must be ${n} characters`;
  if (origin === "array" || origin === "set") return `Must have ${n} items`;
  return `Must be ${n}`;
}

// A NUL, or half of a surrogate pair, cannot be stored in Postgres text or round-trip through
// UTF-8: such strings are refused per field, before any query sees them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL is exactly what this refuses.
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for a string Postgres can store and UTF-8 can carry. */
export const isStorable = (s: string) => !unstorable.test(s);

export const unstorableMessage = "Must not contain NUL characters or unpaired surrogates";

/** Every string a request may carry starts here (`z.string()` only through this). */
export const text = () => z.string().refine(isStorable, unstorableMessage);

/** A required string with a visible character in it. */
export const nonBlank = (max: number) =>
  text()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, "Must not be blank");

/**
 * A rule across fields (`superRefine`), run even when other fields failed, so that every
 * problem of a request is reported at once. It is skipped only when one of the fields it
 * reads failed itself: their own message says more than the rule would.
 */
export function acrossFields<T>(fields: readonly string[], rule: (value: T, ctx: z.RefinementCtx) => void) {
  return [
    rule,
    {
      when: (payload: { value: unknown; issues: readonly { path?: readonly PropertyKey[] }[] }) =>
        typeof payload.value === "object" &&
        payload.value !== null &&
        !payload.issues.some((i) => i.path?.length === 1 && fields.includes(String(i.path[0]))),
    },
  ] as const;
}
