import { ApiError } from "../../http/errors";
import type { WriteOutcome } from "../../services/payees/types";
import { ConcurrentUpdateConflict } from "../../services/payees/update";
import type { Payee } from "./schemas";

// How a service's per-record outcome becomes an answer: a batch item or a single route's response.

/** What a failed record is about: its position, and the key it was addressed by. */
export interface RecordKey {
  index: number;
  id?: string;
  external_id?: string | null;
  /** For an upsert that could not create: the required fields the record lacked. */
  missing?: string[];
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
