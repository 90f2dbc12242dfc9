/**
 * ISO 4217 minor units for the currencies that do not use 2 (every other code uses 2). Kept as a
 * table rather than Intl so the answer never depends on the runtime's ICU data.
 */
const minorUnitExceptions: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

export function minorUnits(currency: string): number {
  // An own-property lookup: a currency named "__proto__" or "toString" is a plain unknown code.
  return Object.hasOwn(minorUnitExceptions, currency) ? minorUnitExceptions[currency]! : 2;
}

/** "12.5" in EUR → 1250n; undefined when it has more places than the currency allows or is not a decimal. */
export function toMinor(value: string, currency: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return undefined;
  const places = minorUnits(currency);
  const frac = m[2] ?? "";
  if (frac.length > places) return undefined;
  return BigInt(m[1]!) * 10n ** BigInt(places) + BigInt((frac + "0".repeat(places)).slice(0, places) || "0");
}

/** 1250n in EUR → "12.50". */
export function fromMinor(amount: bigint | number, currency: string): string {
  const places = minorUnits(currency);
  const text = BigInt(amount)
    .toString()
    .padStart(places + 1, "0");
  return places ? `${text.slice(0, -places)}.${text.slice(-places)}` : text;
}

/**
 * Whether `amount` minor units of `currency` is below a payee threshold, a decimal string in major
 * units with at most 2 places ("25.00"), compared exactly (no floating point).
 */
export function belowThreshold(amount: bigint, currency: string, threshold: string): boolean {
  const [int = "0", frac = ""] = threshold.split(".");
  const hundredths = BigInt(int) * 100n + BigInt((frac + "00").slice(0, 2));
  return amount * 100n < hundredths * 10n ** BigInt(minorUnits(currency));
}
