import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { newId } from "../../lib/ids";
import { assignmentsFromInput, insertFromInput, payeeColumns, toPayee } from "./sql";
import type { PayeePatch, ResultRow, WriteOutcome } from "./types";

export type UpsertOperation = "create_only" | "update_only" | "create_or_update";

export interface UpsertRecord {
  index: number;
  external_id: string;
  operation: UpsertOperation;
  /** The fields to write, without external_id (that is the key). */
  fields: Omit<PayeePatch, "external_id">;
}

/**
 * Upserts every record in one statement: one CTE updates the payees that exist (unless
 * create_only), another inserts the ones that do not (unless update_only). Both read the same
 * snapshot, so a record is either updated or inserted, never both. The caller guarantees
 * distinct external ids. A record missing from the result failed:
 * - create_only: the external_id exists (or a concurrent request just took it): conflict;
 * - update_only: no payee has it: missing;
 * - create_or_update: no payee has it and the record lacks name or type to create one
 *   (incomplete), or a concurrent request took it between snapshot and insert (conflict).
 */
export async function upsertPayees(db: Db, businessId: string, records: UpsertRecord[]): Promise<WriteOutcome[]> {
  if (records.length === 0) return [];
  const input = records.map((r) => ({
    idx: r.index,
    new_id: newId("payee"),
    external_id: r.external_id,
    operation: r.operation,
    patch: r.fields,
  }));
  const { rows } = await db.execute<ResultRow>(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        AS r(idx int, new_id text, external_id text, operation text, patch jsonb)
    ), updated AS (
      UPDATE payees p SET ${assignmentsFromInput()}
      FROM input i
      WHERE p.business_id = ${businessId} AND p.external_id = i.external_id AND i.operation <> 'create_only'
      RETURNING i.idx, p.*
    ), inserted AS (
      ${insertFromInput(businessId, true)}
      WHERE i.operation <> 'update_only' AND i.patch ? 'name' AND i.patch ? 'type'
        AND NOT EXISTS (SELECT 1 FROM payees e WHERE e.business_id = ${businessId} AND e.external_id = i.external_id)
      ORDER BY i.idx
      ON CONFLICT (business_id, external_id) DO NOTHING
      RETURNING payees.*
    )
    SELECT u.idx, 'updated' AS outcome, ${payeeColumns("u")} FROM updated u
    UNION ALL
    SELECT i.idx, 'created', ${payeeColumns("n")} FROM inserted n JOIN input i ON i.new_id = n.id`);
  const byIndex = new Map(rows.map((row) => [Number(row.idx), row]));
  return records.map((r): WriteOutcome => {
    const row = byIndex.get(r.index);
    if (row) return { index: r.index, kind: row.outcome === "created" ? "created" : "updated", payee: toPayee(row) };
    if (r.operation === "update_only") return { index: r.index, kind: "missing" };
    if (r.operation === "create_or_update" && (r.fields.name === undefined || r.fields.type === undefined)) {
      return { index: r.index, kind: "incomplete" };
    }
    return { index: r.index, kind: "conflict" };
  });
}
