import { type SQL, sql } from "drizzle-orm";
import type { PayeePatch, PayeeRow } from "./types";

// The SQL pieces every payee statement shares: the select list, the row mapping, and the
// INSERT / SET built from a batch input of patches.

/** The writable columns. API field names are the column names, so a patch maps 1:1. */
export const patchColumns = [
  "external_id",
  "name",
  "type",
  "status",
  "contact_email",
  "hold_status",
  "hold_reason",
  "default_fallback_percent",
  "minimum_payout_threshold",
] as const satisfies readonly (keyof PayeePatch)[];

/**
 * The select list for a payee row under `alias`. Formatting happens in SQL so the driver's
 * type parsing cannot change it: numerics as text keep their 2 places ("12.50"), and
 * timestamps come out as ISO 8601 UTC whatever the session time zone is.
 */
export function payeeColumns(alias: string): SQL {
  const a = sql.raw(`"${alias}"`);
  const iso = (column: string) => sql`to_char(${a}.${sql.raw(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return sql`${a}.id, ${a}.external_id, ${a}.name, ${a}.type, ${a}.status, ${a}.contact_email,
    ${a}.hold_status, ${a}.hold_reason,
    ${a}.default_fallback_percent::text AS default_fallback_percent,
    ${a}.minimum_payout_threshold::text AS minimum_payout_threshold,
    ${iso("created_at")} AS created_at, ${iso("updated_at")} AS updated_at`;
}

/** Picks the payee columns out of a result row that also carries bookkeeping columns. */
export function toPayee(row: Record<string, unknown>): PayeeRow {
  return {
    id: row.id as string,
    external_id: row.external_id as string | null,
    name: row.name as string,
    type: row.type as PayeeRow["type"],
    status: row.status as PayeeRow["status"],
    contact_email: row.contact_email as string | null,
    hold_status: row.hold_status as PayeeRow["hold_status"],
    hold_reason: row.hold_reason as string | null,
    default_fallback_percent: row.default_fallback_percent as string | null,
    minimum_payout_threshold: row.minimum_payout_threshold as string | null,
    created_at: row.created_at as string,
    updated_at: row.updated_at as string,
  };
}

const numericColumns = new Set<string>(["default_fallback_percent", "minimum_payout_threshold"]);

/** The value a patch (a jsonb column `i.patch` of the batch input) holds for `column`. */
function patchValue(column: (typeof patchColumns)[number]): SQL {
  const value = sql`i.patch->>${sql.raw(`'${column}'`)}`;
  return numericColumns.has(column) ? sql`(${value})::numeric` : value;
}

/**
 * `INSERT INTO payees ... SELECT` from the batch input `i` (columns `new_id`, `patch`, and
 * optionally `external_id`, which then wins over the patch). Defaults mirror the table's.
 */
export function insertFromInput(businessId: string, externalIdFromInput: boolean): SQL {
  const values = patchColumns.map((column) => {
    if (column === "external_id" && externalIdFromInput) return sql`i.external_id`;
    if (column === "status") return sql`COALESCE(${patchValue(column)}, 'active')`;
    if (column === "hold_status") return sql`COALESCE(${patchValue(column)}, 'none')`;
    return patchValue(column);
  });
  return sql`INSERT INTO payees (id, business_id, ${sql.raw(patchColumns.join(", "))})
    SELECT i.new_id, ${businessId}, ${sql.join(values, sql`, `)} FROM input i`;
}

/**
 * `SET` list for an UPDATE of `payees p` from the batch input `i`: a field changes only when
 * its key is in the patch. Releasing a hold (`hold_status: none`) always clears the reason,
 * which keeps "a reason only while on hold" true without a schema constraint.
 */
export function assignmentsFromInput(): SQL {
  const assignments = patchColumns.map((column) => {
    const keep = sql`CASE WHEN i.patch ? ${sql.raw(`'${column}'`)} THEN ${patchValue(column)} ELSE p.${sql.raw(column)} END`;
    if (column === "hold_reason") {
      return sql`hold_reason = CASE WHEN i.patch->>'hold_status' = 'none' THEN NULL ELSE ${keep} END`;
    }
    return sql`${sql.raw(column)} = ${keep}`;
  });
  return sql`${sql.join(assignments, sql`, `)}, updated_at = now()`;
}
