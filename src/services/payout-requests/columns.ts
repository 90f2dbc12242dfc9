import { type SQL, sql } from "drizzle-orm";
import type { PayoutRequestRow } from "./types";

/** ISO 8601 UTC with milliseconds, whatever the session time zone. */
export const isoSql = (value: SQL) => sql`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The select list for a payout request under `alias`, named as PayoutRequestRow. Bigints leave
 * as text (the driver would make them floats); allocations' amounts are minor units below 10^15,
 * exact as JSON numbers.
 */
export function rowColumns(alias: string): SQL {
  const a = sql.raw(`"${alias}"`);
  return sql`${a}.id, ${a}.seq::text AS seq, ${a}.version, ${a}.website_id AS "websiteId", ${a}.customer_id AS "customerId",
    ${a}.currency::text AS currency, ${a}.amount_minor::text AS "amountMinor", ${a}.available_minor::text AS "availableMinor",
    ${a}.status, ${a}.description, ${a}.batch_id AS "batchId", ${a}.payment_instrument_id AS "paymentInstrumentId",
    ${a}.selected_payment_instrument_redirect_url AS "selectedPaymentInstrumentRedirectUrl", ${a}.blocked,
    ${a}.block_reason AS "blockReason", ${a}.cancellation_description AS "cancellationDescription",
    ${a}.canceled_by AS "canceledBy", ${a}.allocations,
    ${isoSql(sql`${a}.created_at`)} AS "createdTime", ${isoSql(sql`${a}.updated_at`)} AS "updatedTime"`;
}

export function toRow(row: Record<string, unknown>): PayoutRequestRow {
  return {
    id: row.id as string,
    seq: row.seq as string,
    version: Number(row.version),
    websiteId: row.websiteId as string,
    customerId: row.customerId as string,
    currency: row.currency as string,
    amountMinor: row.amountMinor as string,
    availableMinor: row.availableMinor as string,
    status: row.status as PayoutRequestRow["status"],
    description: row.description as string | null,
    batchId: row.batchId as string | null,
    paymentInstrumentId: row.paymentInstrumentId as string | null,
    selectedPaymentInstrumentRedirectUrl: row.selectedPaymentInstrumentRedirectUrl as string | null,
    blocked: row.blocked as boolean,
    blockReason: row.blockReason as string | null,
    cancellationDescription: row.cancellationDescription as string | null,
    canceledBy: row.canceledBy as PayoutRequestRow["canceledBy"],
    allocations: (typeof row.allocations === "string" ? JSON.parse(row.allocations) : row.allocations) as PayoutRequestRow["allocations"],
    createdTime: row.createdTime as string,
    updatedTime: row.updatedTime as string,
  };
}
