import type { z } from "@hono/zod-openapi";
import { ApiError, errorBody, fieldErrors } from "../../http/errors";
import type { WriteOutcome } from "../../services/payees/columns";
import { ConcurrentUpdateConflict } from "../../services/payees/update";
import { batchLimit, type Payee } from "./schemas";

export type BatchItem =
  | { index: number; success: true; status: number; response: { data: Payee } }
  | { index: number; success: false; status: number; error: ReturnType<typeof errorBody>["error"] };

/** What a failed record is about: its position, and the key it was addressed by. */
export interface RecordKey {
  index: number;
  id?: string;
  external_id?: string | null;
  /** For an upsert that could not create: the required fields the record lacked. */
  missing?: string[];
}

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

/** The error a failed write outcome stands for, in a batch item or thrown by a single route. */
export function outcomeError(kind: "conflict" | "missing" | "incomplete", key: RecordKey): ApiError {
  switch (kind) {
    case "conflict":
      return new ApiError("conflict", `A payee with external_id "${key.external_id}" already exists.`, {
        external_id: ["Already used by another payee"],
      });
    case "missing":
      return key.id !== undefined
        ? new ApiError("not_found", `No payee with id "${key.id}".`)
        : new ApiError("not_found", `No payee has external_id "${key.external_id}".`);
    case "incomplete":
      return new ApiError(
        "validation_error",
        `No payee has external_id "${key.external_id}" yet, and creating one needs name and type.`,
        Object.fromEntries((key.missing ?? ["name", "type"]).map((field) => [field, ["Required to create a payee"]])),
      );
  }
}

/** For single-record routes: the payee and its status, or the outcome's error thrown. */
export function unwrap(outcome: WriteOutcome | undefined, key: RecordKey): { payee: Payee; status: 200 | 201 } {
  if (!outcome) throw new Error("the service returned no outcome for the record");
  if (outcome.kind === "created") return { payee: outcome.payee, status: 201 };
  if (outcome.kind === "updated") return { payee: outcome.payee, status: 200 };
  throw outcomeError(outcome.kind, key);
}

/** For `.catch()` on an update: losing a unique-index race is a 409 to retry, never a 500. */
export function conflictOnRace(err: unknown): never {
  if (err instanceof ConcurrentUpdateConflict) {
    throw new ApiError("conflict", "Concurrent requests are changing the same external ids; nothing was written. Retry the request.");
  }
  throw err;
}
