import { describe, expect, it } from "vitest";
import { ApiError, fieldErrors } from "../../src/http/errors";
import { BatchResults } from "../../src/routes/payees/batch-results";
import { conflictOnRace } from "../../src/routes/payees/outcomes";
import { isPayeeId, PayeeCreateSchema, PayeeUpdateSchema } from "../../src/routes/payees/schemas";
import { likePattern } from "../../src/services/payees/read";
import { ConcurrentUpdateConflict } from "../../src/services/payees/update";

const base = { name: "Northwind Partner", type: "affiliate" };
const percent = (value: unknown) => PayeeCreateSchema.safeParse({ ...base, default_fallback_percent: value });

describe("payee decimals", () => {
  it.each([
    ["12.50", "12.50"],
    ["0", "0"],
    ["100", "100"],
    ["100.00", "100.00"],
    ["007.5", "007.5"],
    [12.5, "12.5"],
    [0, "0"],
    [99.99, "99.99"],
    [null, null],
  ])("accepts %j as %j", (input, output) => {
    const parsed = percent(input);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.default_fallback_percent).toBe(output);
  });

  it.each(["100.01", "101", "-0.5", "1.234", "1e2", " 1", "", ".5", "5.", "NaN", 1.005, 0.1 + 0.2, 1e21, -1, true, "12,50"])(
    "rejects %j",
    (input) => {
      expect(percent(input).success).toBe(false);
    },
  );

  it("bounds the threshold by its numeric(20, 2) column", () => {
    const threshold = (v: string) => PayeeCreateSchema.safeParse({ ...base, minimum_payout_threshold: v }).success;
    expect(threshold("999999999999999999.99")).toBe(true);
    expect(threshold("1000000000000000000")).toBe(false);
    expect(threshold("0000000000000000000001.00")).toBe(true);
  });
});

describe("payee schemas", () => {
  it("refuses unknown and server-owned fields, naming them", () => {
    const parsed = PayeeCreateSchema.safeParse({ ...base, id: "x", nickname: "y" });
    expect(parsed.success).toBe(false);
    const fields = fieldErrors(parsed.error!.issues);
    expect(fields.nickname).toEqual(["Unknown field: nickname"]);
    expect(fields.id).toEqual(["Set by the server, cannot be sent: id"]);
  });

  it("allows a hold reason only with hold_status on_hold", () => {
    expect(PayeeUpdateSchema.safeParse({ hold_status: "on_hold", hold_reason: "Missing tax form" }).success).toBe(true);
    expect(PayeeUpdateSchema.safeParse({ hold_status: "on_hold", hold_reason: null }).success).toBe(true);
    expect(PayeeUpdateSchema.safeParse({ hold_reason: null }).success).toBe(true);
    expect(PayeeUpdateSchema.safeParse({ hold_reason: "Missing tax form" }).success).toBe(false);
    expect(PayeeUpdateSchema.safeParse({ hold_status: "none", hold_reason: "x" }).success).toBe(false);
  });

  it("recognises payee ids and nothing else", () => {
    expect(isPayeeId("pye_01jz8k6q4m0x3v7e2c5n9r1t8w")).toBe(true);
    for (const id of ["batch", "upsert", "pye_", "pou_01jz8k6q4m0x3v7e2c5n9r1t8w", "pye_01JZ8K6Q4M0X3V7E2C5N9R1T8W"]) {
      expect(isPayeeId(id)).toBe(false);
    }
  });
});

describe("name search pattern", () => {
  it("escapes LIKE wildcards and the escape character", () => {
    expect(likePattern("north")).toBe("%north%");
    expect(likePattern("100%")).toBe("%100\\%%");
    expect(likePattern("a_b")).toBe("%a\\_b%");
    expect(likePattern("c:\\x")).toBe("%c:\\\\x%");
  });
});

describe("batch results", () => {
  it("orders items by index and counts successes and failures", () => {
    const results = new BatchResults("req_1");
    results.fail(2, new ApiError("not_found", "gone"));
    const valid = results.validate([{ ...base }, { name: "" }], PayeeCreateSchema);
    expect(valid.map((v) => v.index)).toEqual([0]);
    const body = results.body();
    expect(body.data.map((d) => [d.index, d.status])).toEqual([
      [1, 400],
      [2, 404],
    ]);
    expect(body.meta).toEqual({ processed: 2, succeeded: 0, failed: 2, limit: 100 });
  });

  it("keeps the first of each key and fails the later ones with 409", () => {
    const results = new BatchResults("req_1");
    const kept = results.dropDuplicates(
      [
        { index: 0, key: "a" },
        { index: 1, key: null },
        { index: 2, key: "a" },
        { index: 3, key: null },
        { index: 4, key: "b" },
      ],
      (r) => r.key,
      "external_id",
    );
    expect(kept.map((r) => r.index)).toEqual([0, 1, 3, 4]);
    expect(results.body().data).toEqual([
      {
        index: 2,
        success: false,
        status: 409,
        error: {
          type: "conflict_error",
          code: "conflict",
          message: 'Record 0 of this batch already uses external_id "a".',
          fields: { external_id: ["Duplicate of record 0 in this batch"] },
          request_id: "req_1",
        },
      },
    ]);
  });

  it("turns a lost unique-index race into a 409 and leaves other errors alone", () => {
    expect(() => conflictOnRace(new ConcurrentUpdateConflict())).toThrow(expect.objectContaining({ code: "conflict", status: 409 }));
    const other = new Error("boom");
    expect(() => conflictOnRace(other)).toThrow(other);
  });
});
