/**
 * Which `localInstrument`s each payout rail can pay out with; a payout asking for another is a 501
 * `not_implemented` (the payouts page lists 501). Written by the payouts group (issue 9) before the
 * rails existed: the payout lifecycle (issue 10) owns src/rails/ and may replace this constant with
 * the configured PayoutRail's own capabilities, keeping `railFor` / `supportsInstrument` as the
 * interface the POST /api/v1/payouts handler (and the batch endpoint) call.
 */
export const supportedInstruments = {
  sandbox: ["SEPA", "SEPA_INSTANT", "FASTER_PAYMENTS"],
} as const satisfies Record<string, readonly string[]>;

export type RailName = keyof typeof supportedInstruments;

/** The rail new payouts go to. One rail for now; a per-business or per-instrument choice goes here. */
export function railFor(_localInstrument: string): RailName {
  return "sandbox";
}

export function supportsInstrument(rail: RailName, localInstrument: string): boolean {
  return (supportedInstruments[rail] as readonly string[]).includes(localInstrument);
}
