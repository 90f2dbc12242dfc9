import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";

describe("createDb", () => {
  const neonUrl = "postgres://user:pw@ep-example.neon.tech/db";

  it("shares one handle per connection string when no request is tagged (production)", () => {
    expect(createDb({ DATABASE_URL: neonUrl }, "req_1")).toBe(createDb({ DATABASE_URL: neonUrl }, "req_2"));
    expect(createDb({ DATABASE_URL: neonUrl })).not.toBe(createDb({ DATABASE_URL: `${neonUrl}2` }));
  });

  it("builds a handle per request when the local server counts round trips by tag", () => {
    const local = { DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: "http://127.0.0.1:1/sql" };
    expect(createDb(local, "req_1")).not.toBe(createDb(local, "req_1"));
    expect(createDb(local)).toBe(createDb(local));
  });
});
