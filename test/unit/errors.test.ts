import { describe, expect, it } from "vitest";
import { ApiError, errorBody, fieldErrors } from "../../src/http/errors";

describe("error envelope", () => {
  it("carries type, code, message, fields and request id", () => {
    const err = new ApiError("validation_error", "bad", { name: ["Required"] });
    expect(err.status).toBe(400);
    expect(errorBody(err, "req_1")).toEqual({
      error: { type: "invalid_request_error", code: "validation_error", message: "bad", fields: { name: ["Required"] }, request_id: "req_1" },
    });
  });

  it("leaves fields out when there are none", () => {
    expect(errorBody(new ApiError("not_found", "gone"), "req_2").error).not.toHaveProperty("fields");
  });

  it("groups zod issues by dotted path, with _ for the body itself", () => {
    expect(
      fieldErrors([
        { path: ["records", 3, "name"], message: "Required" },
        { path: ["records", 3, "name"], message: "Too long" },
        { path: [], message: "Expected object" },
      ]),
    ).toEqual({ "records.3.name": ["Required", "Too long"], _: ["Expected object"] });
  });

  it("reports each unknown key under its own name", () => {
    expect(fieldErrors([{ path: ["records", 0], message: 'Unrecognized keys: "id", "x"', code: "unrecognized_keys", keys: ["id", "x"] }])).toEqual({
      "records.0.id": ['Unrecognized keys: "id", "x"'],
      "records.0.x": ['Unrecognized keys: "id", "x"'],
    });
  });
});
