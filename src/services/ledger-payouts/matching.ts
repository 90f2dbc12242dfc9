import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { newId } from "../../lib/ids";
import { type AccountRow, Chart, ensuredAccountsQuery } from "./accounts";
import { payoutCoreColumns, payoutCoreFrom, payoutLoadStatements } from "./payout-load-statements";
import { type Payout, renderPayouts } from "./payout-render";
import { batchRows, type Row } from "./sql";

/** How far a bank credit's date may be from a payout's completed_at. */
export const matchWindowDays = 5;

/**
 * Matches unmatched bank CREDITs to unmatched payouts of the same amount (only the amounts
 * given: those just imported). A pair qualifies when the payout's processor is the bank
 * transaction's source or is named in its description and the dates are within 5 days.
 * Pairs are taken best date first (smallest distance; ties by earlier bank date, earlier
 * payout, then id), each side at most once. The unique indexes on payout_matches keep "at most
 * once" true against a concurrent import too: a pair that lost such a race is dropped.
 * Two round trips: candidates, then the inserts with the matched payouts read back.
 * Returns the new matches by payout id, in the page's `match` shape.
 */
export async function matchPayoutsByAmount(
  db: Db,
  businessId: string,
  chart: Chart,
  amounts: number[],
): Promise<Map<string, Payout["match"]>> {
  const positive = [...new Set(amounts.filter((a) => a > 0))];
  if (!positive.length) return new Map();
  const { rows } = await db.execute<Row>(sql`
    SELECT p.id AS payout_id, b.id AS bank_id
    FROM ledger_payouts p
    JOIN bank_transactions b ON b.business_id = p.business_id AND b.amount = p.paid_out_amount AND b.direction = 'CREDIT'
      AND b.date BETWEEN p.completed_at - make_interval(days => ${matchWindowDays}) AND p.completed_at + make_interval(days => ${matchWindowDays})
    WHERE p.business_id = ${businessId} AND p.processor IS NOT NULL
      AND p.paid_out_amount IN (SELECT jsonb_array_elements_text(${JSON.stringify(positive.map(String))}::jsonb)::bigint)
      AND (upper(b.source) = p.processor OR strpos(upper(coalesce(b.description, '')), p.processor) > 0)
      AND NOT EXISTS (SELECT 1 FROM payout_matches m WHERE m.payout_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM payout_matches m WHERE m.bank_transaction_id = b.id)
    ORDER BY abs(extract(epoch FROM b.date - p.completed_at)), b.date, p.completed_at, b.id COLLATE "C", p.id COLLATE "C"`);
  const usedPayouts = new Set<string>();
  const usedBank = new Set<string>();
  const pairs: { id: string; details_id: string; payout_id: string; bank_transaction_id: string }[] = [];
  for (const r of rows) {
    const payout = r.payout_id as string;
    const bank = r.bank_id as string;
    if (usedPayouts.has(payout) || usedBank.has(bank)) continue;
    usedPayouts.add(payout);
    usedBank.add(bank);
    pairs.push({ id: newId("payoutMatch"), details_id: newId("payoutMatchDetails"), payout_id: payout, bank_transaction_id: bank });
  }
  if (!pairs.length) return new Map();
  const ids = JSON.stringify(pairs.map((p) => p.payout_id));
  const [, core] = await batchRows(db, [
    sql`INSERT INTO payout_matches (id, details_id, business_id, payout_id, bank_transaction_id)
        SELECT x.id, x.details_id, ${businessId}, x.payout_id, x.bank_transaction_id
        FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS x(id text, details_id text, payout_id text, bank_transaction_id text)
        ON CONFLICT DO NOTHING`,
    sql`SELECT ${payoutCoreColumns} FROM ${payoutCoreFrom}
        WHERE p.business_id = ${businessId} AND p.id IN (SELECT jsonb_array_elements_text(${ids}::jsonb)) AND m.id IS NOT NULL`,
  ]);
  const matched = new Map<string, Payout["match"]>();
  for (const p of renderPayouts(chart, [core!, [], [], []])) matched.set(p.id, p.match);
  return matched;
}

/**
 * Removes a payout's match (its bank transaction becomes unmatched again) and answers the payout;
 * undefined if the business has no such payout. Deleting a match that is not there is not an
 * error, so a retried DELETE answers the same. One round trip.
 */
export async function undoMatch(db: Db, businessId: string, payoutId: string): Promise<Payout | undefined> {
  const [accounts, , ...rows] = await batchRows(db, [
    ensuredAccountsQuery(businessId),
    sql`DELETE FROM payout_matches WHERE business_id = ${businessId} AND payout_id = ${payoutId}`,
    ...payoutLoadStatements(businessId, sql`SELECT ${payoutId}::text`),
  ]);
  return renderPayouts(new Chart(accounts as unknown as AccountRow[]), rows)[0];
}
