import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/http/errors";
import { Chart } from "../../src/services/ledger-payouts/accounts";

describe("Chart", () => {
  it("a default account missing (another request was creating the chart) is a retryable 503, not a 500", () => {
    let thrown: unknown;
    try {
      new Chart([]).stable("ACCOUNTS_RECEIVABLE");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(503);
    expect((thrown as ApiError).code).toBe("service_unavailable");
  });
});
