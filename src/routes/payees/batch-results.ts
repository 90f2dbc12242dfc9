import type { z } from "@hono/zod-openapi";
import { ApiError, errorBody, fieldErrors } from "../../http/errors";
import type { WriteOutcome } from "../../services/payees/types";
import { outcomeError, type RecordKey } from "./outcomes";
import { batchLimit, type Payee } from "./schemas";

export type BatchItem =
  | { index: number; success: true; status: number; response: { data: Payee } }
  | { index: number; success: false; status: number; error: ReturnType<typeof errorBody>["error"] };

/**
 * Collects a batch's per-record results, in record order. Failures use the same envelope
 * fields as a top-level error, so a client handles both with one code path.
 */
export class BatchResults {
  private readonly items = new Map<number, BatchItem>();
  constructor(private readonly requestId: string) {}

  fail(index: number, err: ApiError): void {
    this.items.set(index, { index, success: false, status: err.status, error: errorBody(err, this.requestId).error });
  }

  add(outcome: WriteOutcome, key: RecordKey): void {
    if (outcome.kind === "created" || outcome.kind === "updated") {
      const status = outcome.kind === "created" ? 201 : 200;
      this.items.set(outcome.index, { index: outcome.index, success: true, status, response: { data: outcome.payee } });
    } else {
      this.fail(outcome.index, outcomeError(outcome.kind, key));
    }
  }

  /**
   * Validates each record on its own; returns the ones that passed with their index.
   * Records that fail are recorded as 400s here and go no further.
   */
  validate<S extends z.ZodType>(records: readonly unknown[], schema: S): { index: number; value: z.output<S> }[] {
    const valid: { index: number; value: z.output<S> }[] = [];
    records.forEach((record, index) => {
      const parsed = schema.safeParse(record);
      if (parsed.success) valid.push({ index, value: parsed.data });
      else this.fail(index, new ApiError("validation_error", "The record has invalid fields.", fieldErrors(parsed.error.issues)));
    });
    return valid;
  }

  /**
   * Records after the first with the same key fail with 409: writing both in one statement
   * would make the result depend on the order Postgres happens to apply them in.
   */
  dropDuplicates<T extends { index: number }>(records: T[], keyOf: (r: T) => string | null | undefined, field: string): T[] {
    const first = new Map<string, number>();
    return records.filter((record) => {
      const key = keyOf(record);
      if (key == null) return true;
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, record.index);
        return true;
      }
      this.fail(
        record.index,
        new ApiError("conflict", `Record ${earlier} of this batch already uses ${field} "${key}".`, {
          [field]: [`Duplicate of record ${earlier} in this batch`],
        }),
      );
      return false;
    });
  }

  body() {
    const data = [...this.items.values()].sort((a, b) => a.index - b.index);
    const succeeded = data.filter((item) => item.success).length;
    return { data, meta: { processed: data.length, succeeded, failed: data.length - succeeded, limit: batchLimit as typeof batchLimit } };
  }
}
