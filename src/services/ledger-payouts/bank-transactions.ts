import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { newId } from "../../lib/ids";
import { type AccountRow, Chart, ensuredAccountsQuery } from "./accounts";
import { renderBankTransaction } from "./bank-transaction-render";
import { matchPayoutsByAmount } from "./matching";
import { batchRows, isoText, type Row } from "./sql";

export interface BankTransactionIn {
  source: string;
  source_transaction_id: string;
  source_account_id?: string | null;
  account_name?: string | null;
  date: string;
  direction: "CREDIT" | "DEBIT";
  amount: number;
  counterparty_name?: string | null;
  description?: string | null;
}

const bankColumns = sql.raw(`b.id, b.business_id, b.source, b.source_transaction_id, b.source_account_id, b.account_name,
  ${isoText("b.imported_at")} AS imported_at, ${isoText("b.date")} AS date,
  b.direction, b.amount::text AS amount, b.counterparty_name, b.description,
  m.id AS match_id, m.payout_id AS match_payout_id`);

function render(r: Row) {
  return {
    ...renderBankTransaction(r, !!r.match_id),
    match: r.match_id ? { id: r.match_id as string, match_type: "PAYOUT" as const, payout_id: r.match_payout_id as string } : null,
  };
}
export type BankTransactionOut = ReturnType<typeof render>;

/**
 * Upserts by (source, source_transaction_id) in one transaction, dropping matches that no
 * longer fit an updated transaction, then matches the credits to payouts (matching.ts).
 * The caller guarantees distinct keys.
 */
export async function importBankTransactions(db: Db, businessId: string, items: BankTransactionIn[]): Promise<BankTransactionOut[]> {
  const input = JSON.stringify(items.map((t, ord) => ({ ord, id: newId("bankTransaction"), ...t })));
  const cols = sql.raw(`ord int, id text, source text, source_transaction_id text, source_account_id text, account_name text,
    date timestamptz, direction text, amount bigint, counterparty_name text, description text`);
  const [accounts] = await batchRows(db, [
    ensuredAccountsQuery(businessId),
    sql`DELETE FROM payout_matches m USING bank_transactions b, jsonb_to_recordset(${input}::jsonb) AS x(${cols})
        WHERE m.bank_transaction_id = b.id AND b.business_id = ${businessId} AND b.source = x.source
          AND b.source_transaction_id = x.source_transaction_id
          AND (b.amount <> x.amount OR b.date <> x.date OR b.direction <> x.direction
               OR b.description IS DISTINCT FROM x.description)`,
    sql`INSERT INTO bank_transactions (id, business_id, source, source_transaction_id, source_account_id, account_name, date,
          direction, amount, counterparty_name, description)
        SELECT x.id, ${businessId}, x.source, x.source_transaction_id, x.source_account_id, x.account_name, x.date, x.direction,
          x.amount, x.counterparty_name, x.description
        FROM jsonb_to_recordset(${input}::jsonb) AS x(${cols})
        ON CONFLICT (business_id, source, source_transaction_id) DO UPDATE SET source_account_id = excluded.source_account_id,
          account_name = excluded.account_name, date = excluded.date, direction = excluded.direction, amount = excluded.amount,
          counterparty_name = excluded.counterparty_name, description = excluded.description, updated_at = now()`,
  ]);
  const chart = new Chart(accounts as unknown as AccountRow[]);
  await matchPayoutsByAmount(
    db,
    businessId,
    chart,
    items.filter((t) => t.direction === "CREDIT").map((t) => t.amount),
  );
  const { rows } = await db.execute<Row>(sql`
    SELECT ${bankColumns}, x.ord FROM bank_transactions b
    JOIN jsonb_to_recordset(${input}::jsonb) AS x(${cols})
      ON b.business_id = ${businessId} AND b.source = x.source AND b.source_transaction_id = x.source_transaction_id
    LEFT JOIN payout_matches m ON m.bank_transaction_id = b.id
    ORDER BY x.ord`);
  return rows.map(render);
}

export async function listBankTransactions(db: Db, businessId: string, f: { limit: number; after?: string; matched?: boolean }) {
  const where: SQL[] = [sql`b.business_id = ${businessId}`];
  if (f.after !== undefined) where.push(sql`b.id COLLATE "C" > ${f.after}`);
  if (f.matched !== undefined) where.push(f.matched ? sql`m.id IS NOT NULL` : sql`m.id IS NULL`);
  const { rows } = await db.execute<Row>(sql`
    SELECT ${bankColumns} FROM bank_transactions b LEFT JOIN payout_matches m ON m.bank_transaction_id = b.id
    WHERE ${sql.join(where, sql` AND `)} ORDER BY b.id COLLATE "C" LIMIT ${f.limit + 1}`);
  return rows.map(render);
}
