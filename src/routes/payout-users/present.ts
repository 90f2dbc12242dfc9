import type { LedgerUser } from "../../ledger/types";
import { userHash } from "../../services/payout-users/hash";
import type { PayoutUserRow, TransactionRow } from "../../services/payout-users/queries";

/** The wire shape of a payout user; `hash` is derived (the ledger hands over the one it knows). */
export async function presentUser(secret: string, u: PayoutUserRow | LedgerUser) {
  return {
    id: u.id,
    email: u.email,
    hash: "hash" in u ? u.hash : await userHash(secret, u.id),
    balance: Number(u.balance),
    currency: u.currency,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  };
}

/** The list a transaction cursor belongs to: one user's history (shared with the self view). */
export const transactionList = (userId: string) => `transactions:${userId}`;

export function presentTransaction(t: TransactionRow) {
  return {
    id: t.id,
    type: t.type as "allocation" | "payout" | "payout_reversal",
    amount: Number(t.amount),
    balance_after: Number(t.balanceAfter),
    currency: t.currency,
    created_at: t.createdAt,
  };
}
