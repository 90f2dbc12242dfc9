import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";
import { assignmentsFromInput, payeeColumns, toPayee } from "./sql";
import type { PayeePatch, ResultRow, WriteOutcome } from "./types";

export interface UpdateRecord {
  index: number;
  id: string;
  fields: PayeePatch;
}

/**
 * Updates every record in one statement; only the fields in a record's patch change. A new
 * external_id that another payee of the business holds makes that record a conflict instead
 * of failing the statement; a record whose id is not one of this business's payees is missing.
 * The caller guarantees distinct ids and distinct new external ids.
 *
 * The taken-check reads the statement's snapshot, so a concurrent request can still take the
 * same external_id first; the unique index then aborts the statement (23505). It is run once
 * more, when the snapshot sees the other request's row and reports a per-record conflict: the
 * extra round trip is only spent on that race. Losing it twice throws ConcurrentUpdateConflict.
 */
export async function updatePayees(db: Db, businessId: string, records: UpdateRecord[]): Promise<WriteOutcome[]> {
  if (records.length === 0) return [];
  try {
    return await runUpdate(db, businessId, records);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  try {
    return await runUpdate(db, businessId, records);
  } catch (err) {
    // Lost the race twice in a row: nothing was written; the caller answers 409 and the client retries.
    if (isUniqueViolation(err)) throw new ConcurrentUpdateConflict();
    throw err;
  }
}

/** The update collided with concurrent writes of the same external ids twice; nothing was written. */
export class ConcurrentUpdateConflict extends Error {
  constructor() {
    super("concurrent requests kept taking the external ids this update sets");
    this.name = "ConcurrentUpdateConflict";
  }
}

async function runUpdate(db: Db, businessId: string, records: UpdateRecord[]): Promise<WriteOutcome[]> {
  const input = records.map((r) => ({ idx: r.index, id: r.id, patch: r.fields }));
  const { rows } = await db.execute<ResultRow>(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb) AS r(idx int, id text, patch jsonb)
    ), target AS (
      SELECT i.idx, p.id,
        COALESCE(i.patch->>'external_id' IS NOT NULL AND EXISTS (
          SELECT 1 FROM payees q
          WHERE q.business_id = ${businessId} AND q.external_id = i.patch->>'external_id' AND q.id <> p.id), false) AS taken
      FROM input i JOIN payees p ON p.business_id = ${businessId} AND p.id = i.id
    ), updated AS (
      UPDATE payees p SET ${assignmentsFromInput()}
      FROM input i JOIN target t ON t.idx = i.idx AND NOT t.taken
      WHERE p.business_id = ${businessId} AND p.id = t.id
      RETURNING i.idx, p.*
    )
    SELECT t.idx, CASE WHEN u.idx IS NOT NULL THEN 'updated' WHEN t.taken THEN 'conflict' END AS outcome,
      ${payeeColumns("u")}
    FROM target t LEFT JOIN updated u ON u.idx = t.idx`);
  const byIndex = new Map(rows.map((row) => [Number(row.idx), row]));
  return records.map((r): WriteOutcome => {
    const row = byIndex.get(r.index);
    if (row?.outcome === "updated") return { index: r.index, kind: "updated", payee: toPayee(row) };
    return { index: r.index, kind: row?.outcome === "conflict" ? "conflict" : "missing" };
  });
}
