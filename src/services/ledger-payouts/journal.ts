/** A journal line before it is written: a signed amount, positive for a debit. */
export interface LineInput {
  accountId: string;
  debit: bigint;
  description: string;
}

export interface PlannedLine {
  account_id: string;
  direction: "DEBIT" | "CREDIT";
  amount: bigint;
  description: string;
}

/**
 * Turns signed amounts into debit and credit lines (amounts always positive, zero lines
 * dropped). `imbalance` is debits minus credits: a payout is written only when it is 0.
 */
export function planJournal(inputs: LineInput[]): { lines: PlannedLine[]; imbalance: bigint } {
  let imbalance = 0n;
  const lines: PlannedLine[] = [];
  for (const { accountId, debit, description } of inputs) {
    imbalance += debit;
    if (debit === 0n) continue;
    lines.push({ account_id: accountId, direction: debit > 0n ? "DEBIT" : "CREDIT", amount: debit > 0n ? debit : -debit, description });
  }
  return { lines, imbalance };
}
