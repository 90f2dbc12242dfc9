/**
 * Exact decimal amounts for APIs that speak JSON numbers (Rebilly's `amount: 10.5`).
 *
 * JSON.parse turns `0.1` into the nearest double, whose shortest round-trip form (`String(n)`)
 * is "0.1" again. For any decimal of at most 15 significant digits that form is the decimal
 * the client wrote, so reading it back is exact; amounts are then held as integer minor units
 * (BigInt) and never go through float arithmetic. A number with more digits than a double keeps
 * is refused where the raw body text is available (see `inexactNumbers`), never rounded.
 */

/** Most minor units an amount may have: 15 digits, so every amount and difference prints exactly. */
export const maxMinorUnits = 999_999_999_999_999n;

interface Canonical {
  negative: boolean;
  /** Significant digits without leading or trailing zeros ("" for zero). */
  digits: string;
  /** The value is 0.digits × 10^exponent... expressed as digits × 10^exponent. */
  exponent: number;
}

/** A JSON number's text (or String(n)) as sign, digits and exponent, without redundant zeros. */
export function canonicalDecimal(text: string): Canonical | undefined {
  const m = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  let digits = (m[2]! + fraction).replace(/^0+/, "");
  let exponent = Number(m[4] ?? 0) - fraction.length;
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: m[1] === "-" && digits !== "", digits, exponent: digits === "" ? 0 : exponent };
}

/**
 * A number as integer minor units with `places` decimals, or why not: negative/zero checks are
 * the caller's. `undefined` when it has more decimals than `places` (or is not finite).
 */
export function toMinorUnits(value: number, places: number): bigint | undefined {
  if (!Number.isFinite(value)) return undefined;
  const c = canonicalDecimal(String(value));
  if (!c) return undefined;
  if (c.digits === "") return 0n;
  if (c.exponent + places < 0) return undefined;
  const units = BigInt(c.digits) * 10n ** BigInt(c.exponent + places);
  return c.negative ? -units : units;
}

/** Minor units back to the JSON number the API answers with (exact: at most 15 digits). */
export function fromMinorUnits(units: bigint, places: number): number {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
  const text = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return Number(negative ? `-${text}` : text);
}

/**
 * Where the runtime hands a JSON.parse reviver the source text of each number (workerd does),
 * the keys of the numbers whose text means another value than the double it parsed to, like
 * `0.1000000000000000001` (parsed as 0.1). Empty when every number is exactly what was sent.
 */
export function inexactNumbers(bodyText: string): string[] {
  const inexact: string[] = [];
  try {
    JSON.parse(bodyText, function (this: unknown, key: string, value: unknown, context?: { source?: string }) {
      if (typeof value === "number" && typeof context?.source === "string") {
        const sent = canonicalDecimal(context.source);
        const held = canonicalDecimal(String(value));
        if (!sent || !held || sent.digits !== held.digits || sent.exponent !== held.exponent || sent.negative !== held.negative) {
          inexact.push(key);
        }
      }
      return value;
    } as (key: string, value: unknown) => unknown);
  } catch {
    // Not JSON: the body validator reports that.
  }
  return inexact;
}
