import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Every error a client can see, with its HTTP status and its envelope `type`.
 * Handlers throw `new ApiError(code, message)`; `app.onError` and the validation hook
 * turn it into the one envelope, so no handler shapes an error body itself.
 */
export const errorCodes = {
  validation_error: { status: 400, type: "invalid_request_error" },
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_cursor: { status: 400, type: "invalid_request_error" },
  insufficient_balance: { status: 400, type: "invalid_request_error" },
  below_minimum_payout_threshold: { status: 400, type: "invalid_request_error" },
  allocation_exceeds_amount: { status: 400, type: "invalid_request_error" },
  unauthorized: { status: 401, type: "authentication_error" },
  insufficient_scope: { status: 403, type: "permission_error" },
  payouts_disabled: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "not_found_error" },
  route_not_found: { status: 404, type: "not_found_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  conflict: { status: 409, type: "conflict_error" },
  idempotency_key_in_use: { status: 409, type: "conflict_error" },
  duplicate_ref_id: { status: 409, type: "conflict_error" },
  payee_on_hold: { status: 409, type: "conflict_error" },
  payee_inactive: { status: 409, type: "conflict_error" },
  invalid_status_transition: { status: 409, type: "conflict_error" },
  payout_request_blocked: { status: 409, type: "conflict_error" },
  precondition_failed: { status: 412, type: "invalid_request_error" },
  payload_too_large: { status: 413, type: "invalid_request_error" },
  unsupported_media_type: { status: 415, type: "invalid_request_error" },
  idempotency_key_reused: { status: 422, type: "invalid_request_error" },
  rate_limited: { status: 429, type: "rate_limit_error" },
  internal_error: { status: 500, type: "api_error" },
  not_implemented: { status: 501, type: "api_error" },
  service_unavailable: { status: 503, type: "api_error" },
} as const satisfies Record<string, { status: ContentfulStatusCode; type: string }>;

export type ErrorCode = keyof typeof errorCodes;
export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = errorCodes[code].status;
  }
}

export interface ErrorBody {
  error: { type: string; code: ErrorCode; message: string; fields?: FieldErrors; request_id: string };
}

export function errorBody(err: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      type: errorCodes[err.code].type,
      code: err.code,
      message: err.message,
      ...(err.fields ? { fields: err.fields } : {}),
      request_id: requestId,
    },
  };
}

// Fields the server owns; naming them tells the client why they were refused.
const serverOwned = new Set(["id", "business_id", "created_at", "updated_at"]);

/**
 * Groups zod issues by dotted field path (`records.3.name`); `_` stands for the body itself.
 * An unknown key is reported under its own name, so a client sees which field to drop. The
 * map has no prototype: a field called `constructor` or `__proto__` is just another key.
 */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[],
): FieldErrors {
  const fields: FieldErrors = Object.create(null);
  const add = (path: readonly PropertyKey[], message: string) => {
    const key = path.length ? path.map(String).join(".") : "_";
    (fields[key] ??= []).push(message);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" && issue.keys?.length) {
      for (const key of issue.keys) {
        add([...issue.path, key], serverOwned.has(key) ? `Set by the server, cannot be sent: ${key}` : `${issue.message}: ${key}`);
      }
    } else {
      add(issue.path, issue.message);
    }
  }
  return fields;
}
