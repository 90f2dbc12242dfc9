import { describe, expect, it } from "vitest";
import { ApiError, errorBody, fieldErrors } from "../../src/http/errors";

describe("error envelope", () => {
  it("carries type, code, message, fields and request id", () => {
    const err = new ApiError("validation_error", "bad", { name: ["Required"] });
    expect(err.status).toBe(400);
    expect(errorBody(err, "req_1")).toEqual({
      error: {
        type: "invalid_request_error",
        code: "validation_error",
        message: "bad",
        fields: { name: ["Required"] },
        request_id: "req_1",
      },
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

  it("reports each unknown key under its own name, server-owned ones as such", () => {
    expect(fieldErrors([{ path: ["records", 0], message: "Unknown field", code: "unrecognized_keys", keys: ["id", "x"] }])).toEqual({
      "records.0.id": ["Set by the server, cannot be sent: id"],
      "records.0.x": ["Unknown field: x"],
    });
  });

  it("files keys named like Object.prototype members as plain keys", () => {
    const keys = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "__proto__"];
    const fields = fieldErrors([
      { path: [], message: "Unknown field", code: "unrecognized_keys", keys },
      { path: ["constructor"], message: "Again" },
    ]);
    expect(Object.keys(fields).sort()).toEqual([...keys].sort());
    expect(fields.constructor).toEqual(["Unknown field: constructor", "Again"]);
    expect(JSON.parse(JSON.stringify(fields)).__proto__).toEqual(["Unknown field: __proto__"]);
  });
});
