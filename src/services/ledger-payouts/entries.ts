import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type AccountRow, Chart, ensuredAccountsQuery, renderAccount } from "./accounts";
import { batchRows, iso, num } from "./sql";

export interface EntryFilters {
  limit: number;
  after?: string;
  payout_id?: string;
  account_id?: string;
}

/** Journal entries with their lines, a page at a time (limit + 1 rows, see toPage). One round trip. */
export async function listEntries(db: Db, businessId: string, f: EntryFilters) {
  const where: SQL[] = [sql`e.business_id = ${businessId}`];
  if (f.after !== undefined) where.push(sql`e.id COLLATE "C" > ${f.after}`);
  if (f.payout_id !== undefined) where.push(sql`e.payout_id = ${f.payout_id}`);
  if (f.account_id !== undefined)
    where.push(sql`EXISTS (SELECT 1 FROM journal_lines x WHERE x.entry_id = e.id AND x.account_id = ${f.account_id})`);
  const set = sql`SELECT e.id FROM journal_entries e WHERE ${sql.join(where, sql` AND `)} ORDER BY e.id COLLATE "C" LIMIT ${f.limit + 1}`;
  const [accounts, entries, lines] = await batchRows(db, [
    ensuredAccountsQuery(businessId),
    sql`SELECT e.id, e.payout_id, p.external_id AS payout_external_id, ${iso("e.created_at")} AS created_at
        FROM journal_entries e JOIN ledger_payouts p ON p.id = e.payout_id
        WHERE e.id IN (${set}) ORDER BY e.id COLLATE "C"`,
    sql`SELECT l.id, l.entry_id, l.account_id, l.direction, l.amount::text AS amount, l.description
        FROM journal_lines l WHERE l.entry_id IN (${set}) ORDER BY l.entry_id, l.id COLLATE "C"`,
  ]);
  const chart = new Chart(accounts as unknown as AccountRow[]);
  return entries!.map((e) => ({
    id: e.id as string,
    payout_id: e.payout_id as string,
    payout_external_id: e.payout_external_id as string,
    created_at: e.created_at as string,
    lines: lines!
      .filter((l) => l.entry_id === e.id)
      .map((l) => ({
        id: l.id as string,
        account: renderAccount(chart.byId.get(l.account_id as string)!),
        direction: l.direction as "DEBIT" | "CREDIT",
        amount: num(l.amount),
        description: (l.description as string | null) ?? null,
      })),
  }));
}
