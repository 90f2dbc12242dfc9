import { num, type Row } from "./sql";

/** A bank transaction row as the page shows it; `matched` sets its categorization_status. */
export function renderBankTransaction(r: Row, matched: boolean) {
  return {
    type: "Bank_Transaction_Data" as const,
    id: r.id as string,
    business_id: r.business_id as string,
    source: r.source as string,
    source_transaction_id: r.source_transaction_id as string,
    source_account_id: (r.source_account_id as string | null) ?? null,
    imported_at: r.imported_at as string,
    date: r.date as string,
    direction: r.direction as "CREDIT" | "DEBIT",
    amount: num(r.amount),
    counterparty_name: (r.counterparty_name as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    account_name: (r.account_name as string | null) ?? null,
    categorization_status: matched ? ("MATCHED" as const) : ("READY_FOR_INPUT" as const),
  };
}
