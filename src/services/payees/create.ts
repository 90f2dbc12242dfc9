import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { newId } from "../../lib/ids";
import { insertFromInput, payeeColumns, toPayee } from "./sql";
import type { PayeePatch, ResultRow, WriteOutcome } from "./types";

export interface CreateRecord {
  index: number;
  fields: PayeePatch;
}

/**
 * Creates every record in one statement. A record whose external_id is already taken (in the
 * database, or by a concurrent request) is skipped by ON CONFLICT DO NOTHING rather than
 * failing the statement, and reported as a conflict. Records must carry distinct external ids
 * (the caller checks), and their ids are minted in index order so the list shows them in it.
 */
export async function createPayees(db: Db, businessId: string, records: CreateRecord[]): Promise<WriteOutcome[]> {
  if (records.length === 0) return [];
  const input = records.map((r) => ({ idx: r.index, new_id: newId("payee"), patch: r.fields }));
  const { rows } = await db.execute<ResultRow>(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS r(idx int, new_id text, patch jsonb)
    ), inserted AS (
      ${insertFromInput(businessId, false)}
      ORDER BY i.idx
      ON CONFLICT (business_id, external_id) DO NOTHING
      RETURNING payees.*
    )
    SELECT i.idx, 'created' AS outcome, ${payeeColumns("n")} FROM inserted n JOIN input i ON i.new_id = n.id`);
  const byIndex = new Map(rows.map((row) => [Number(row.idx), row]));
  return records.map((r): WriteOutcome => {
    const row = byIndex.get(r.index);
    return row ? { index: r.index, kind: "created", payee: toPayee(row) } : { index: r.index, kind: "conflict" };
  });
}
