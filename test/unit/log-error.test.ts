import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { describeError } from "../../src/lib/log-error";

describe("describeError", () => {
  const driverError = Object.assign(new Error("Server error (HTTP status 503): the connection to the database was lost"), {
    code: "08006",
  });
  const failed = new DrizzleQueryError(
    `insert into "payouts" ("id", "creditor")\n   values ($1, $2), ($3, $4) ${"on conflict do nothing ".repeat(10)}`,
    ["pay_1", { name: "Ada Lovelace", iban: "DE89370400440532013000" }, "pay_2", { name: "Grace Hopper" }],
    driverError,
  );

  it("names a failed statement by its start and its driver error, never by its parameters", () => {
    const line = describeError(failed);
    expect(line).toMatch(
      /^Server error \(HTTP status 503\): the connection to the database was lost \(statement: insert into "payouts" \("id", "creditor"\) values/,
    );
    expect(line).toMatch(/\.\.\.\)$/);
    expect(line).not.toMatch(/Ada|Grace|DE89|pay_1/);
    expect(line).not.toContain("\n");
  });

  it("finds the statement under an error that wraps it", () => {
    const line = describeError(new Error("the group commit failed", { cause: failed }));
    expect(line).toContain("(statement: insert into");
    expect(line).not.toContain("Ada");
  });

  it("drops the parameters of a failed statement relayed by a Durable Object call (message only, no class or cause)", () => {
    const relayed = new Error(failed.message);
    const line = describeError(relayed);
    expect(line).toMatch(/^a statement failed \(statement: insert into "payouts"/);
    expect(line).not.toMatch(/Ada|Grace|DE89|pay_1|\n/);
  });

  it("keeps the stack of anything else, and prints what is not an Error", () => {
    const bug = new TypeError("x is undefined");
    expect(describeError(bug)).toBe(bug.stack);
    expect(describeError("plain")).toBe("plain");
  });
});
