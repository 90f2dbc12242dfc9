import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, sqlTagScope, withSqlTag } from "../../src/db/client";

describe("createDb", () => {
  const neonUrl = "postgres://user:pw@ep-example.neon.tech/db";
  const local = { DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: "http://127.0.0.1:1/sql" };

  it("shares one handle per connection string (production)", () => {
    expect(createDb({ DATABASE_URL: neonUrl }, "req_1")).toBe(createDb({ DATABASE_URL: neonUrl }, "req_2"));
    expect(createDb({ DATABASE_URL: neonUrl })).not.toBe(createDb({ DATABASE_URL: `${neonUrl}2` }));
  });

  it("shares one handle locally too; a handle of its own only for a named tag (a ledger, a queue)", () => {
    expect(createDb(local)).toBe(createDb(local));
    expect(createDb(local, "ledger:biz_1")).not.toBe(createDb(local, "ledger:biz_1"));
  });

  it("sends a request's tag to the local SQL server with each query, including work resumed later", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ fields: [{ name: "one", dataTypeID: 23 }], rows: [["1"]], command: "SELECT", rowCount: 1 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sql`;
      const db = createDb({ ...local, SQL_ENDPOINT: endpoint });
      let later: (<T>(work: () => T) => T) | undefined;
      await withSqlTag("req_a", async () => {
        await db.execute(sql`SELECT 1 AS one`);
        later = sqlTagScope();
      });
      await db.execute(sql`SELECT 1 AS one`); // outside any request
      await later!(async () => await db.execute(sql`SELECT 1 AS one`)); // a streamed page, after the request's work
      await createDb({ ...local, SQL_ENDPOINT: endpoint }, "ledger:biz_1").execute(sql`SELECT 1 AS one`);
      expect(seen.map((h) => h["disburse-tag"])).toEqual(["req_a", undefined, "req_a", undefined]);
      expect(seen[3]?.["neon-connection-string"]).toContain("disburse_tag=ledger%3Abiz_1");
    } finally {
      server.close();
    }
  });
});
