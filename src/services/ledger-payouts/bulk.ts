import { sql } from "drizzle-orm";
import { type Db, sqlTagScope } from "../../db/client";
import { ApiError, type FieldErrors } from "../../http/errors";
import type { Chart } from "./accounts";
import { planPayout } from "./bulk-plan";
import { checkWithinRequest } from "./bulk-request-checks";
import { resolve } from "./bulk-resolve";
import type { PayoutIn } from "./bulk-types";
import { writeChunk } from "./bulk-write";
import { type ChunkOptions, defaultChunkRows, splitByWeight, writeInChunks } from "./chunks";
import { matchPayoutsByAmount } from "./matching";
import { payoutLoadStatements } from "./payout-load-statements";
import { type Payout, renderPayouts } from "./payout-render";
import { batchRows } from "./sql";

/**
 * Validates the whole request, then writes it in chunks (see chunks.ts) and matches the payouts
 * against bank credits. Throws a 400 listing every problem by path before anything is written.
 */
export async function bulkUpsertPayouts(
  db: Db,
  businessId: string,
  records: { index: number; value: PayoutIn }[],
  shapeErrors: FieldErrors,
  opts: ChunkOptions = {},
): Promise<BulkResult> {
  const errors: FieldErrors = { ...shapeErrors };
  const fail = (path: string, message: string) => (errors[path] ??= []).push(message);
  const payouts = records.map((r) => r.value);
  checkWithinRequest(records, fail);
  const resolved = await resolve(db, businessId, payouts);
  const plans = records.map((r) => planPayout(r.value, `${r.index}`, resolved, fail));
  if (Object.keys(errors).length) {
    throw new ApiError("validation_error", `The request has ${Object.keys(errors).length} invalid field(s); nothing was written.`, errors);
  }
  await writeInChunks(
    plans.map((p) => p!),
    (chunk, n) => writeChunk(db, businessId, chunk, n),
    opts,
  );
  await matchPayoutsByAmount(
    db,
    businessId,
    resolved.chart,
    payouts.map((p) => p.paid_out_amount),
  );
  const pages = splitByWeight(
    plans.map((p) => p!),
    defaultChunkRows,
  ).map((page) => page.items.map((p) => p.payout.external_id as string));
  return { count: payouts.length, pages: readPages(db, businessId, resolved.chart, pages) };
}

export interface BulkResult {
  count: number;
  /**
   * The answer, in request order, a page (about one chunk's worth) at a time, one round trip
   * each: the route streams it, so a Worker never holds a 1,000 x 20 answer (tens of MB) at once.
   */
  pages: AsyncGenerator<Payout[]>;
}

async function* readPages(db: Db, businessId: string, chart: Chart, pages: string[][]): AsyncGenerator<Payout[]> {
  // Pages after the first are read while the answer streams, outside the request's own work.
  const inRequest = sqlTagScope();
  for (const externalIds of pages) {
    const set = sql`SELECT id FROM ledger_payouts WHERE business_id = ${businessId}
      AND external_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb))`;
    const rows = await inRequest(() => batchRows(db, payoutLoadStatements(businessId, set)));
    const byExternalId = new Map(renderPayouts(chart, rows).map((p) => [p.external_id, p]));
    yield externalIds.map((id) => byExternalId.get(id)!);
  }
}
