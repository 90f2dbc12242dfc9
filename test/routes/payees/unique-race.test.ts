// A concurrent request can take an external_id between an update's snapshot check and its
// write; Postgres then aborts the statement with 23505. These tests pin down how that error
// reaches us through drizzle and neon-http, and that it becomes a retry or a 409, never a 500.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "../../../src/db/client";
import { isUniqueViolation } from "../../../src/db/errors";
import { ConcurrentUpdateConflict, updatePayees } from "../../../src/services/payees/update";
import { seedBusiness, testDb } from "../../harness";
import { createPayee } from "./helpers";

/** The error the driver really raises for a duplicate external_id. */
async function realUniqueViolation(db: Db, businessId: string, externalId: string): Promise<unknown> {
  try {
    await db.execute(sql`
      INSERT INTO payees (id, business_id, external_id, name, type)
      VALUES (${`pye_${"0".repeat(25)}1`}, ${businessId}, ${externalId}, 'Dup', 'company')`);
  } catch (err) {
    return err;
  }
  throw new Error("the duplicate insert succeeded");
}

/** A Db whose first `failures` statements fail with `error`, as when another request won the race. */
function losingRaces(db: Db, failures: number, error: unknown): { db: Db; calls: () => number } {
  let calls = 0;
  const wrapped = new Proxy(db, {
    get(target, prop) {
      if (prop !== "execute") return Reflect.get(target, prop);
      return (query: Parameters<Db["execute"]>[0]) => {
        calls += 1;
        if (calls <= failures) return Promise.reject(error);
        return target.execute(query);
      };
    },
  });
  return { db: wrapped, calls: () => calls };
}

describe("unique-violation races on update", () => {
  it("recognises the driver's 23505, wherever drizzle puts the code", async () => {
    const s = await seedBusiness();
    const p = await createPayee(s);
    const err = await realUniqueViolation(testDb(), s.business.id, p.external_id!);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error("other"))).toBe(false);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
  });

  it("retries once when the first attempt loses the race, and reports the winner's key as a per-record 409", async () => {
    const s = await seedBusiness();
    const [a, b] = [await createPayee(s), await createPayee(s)];
    const db = testDb();
    const race = losingRaces(db, 1, await realUniqueViolation(db, s.business.id, a.external_id!));
    const outcomes = await updatePayees(race.db, s.business.id, [
      { index: 0, id: b.id, fields: { external_id: a.external_id } },
      { index: 1, id: a.id, fields: { name: "Still updated" } },
    ]);
    expect(race.calls()).toBe(2);
    expect(outcomes.map((o) => o.kind)).toEqual(["conflict", "updated"]);
  });

  it("gives up after losing twice, having written nothing", async () => {
    const s = await seedBusiness();
    const a = await createPayee(s);
    const db = testDb();
    const race = losingRaces(db, 2, await realUniqueViolation(db, s.business.id, a.external_id!));
    await expect(updatePayees(race.db, s.business.id, [{ index: 0, id: a.id, fields: { name: "Never" } }])).rejects.toBeInstanceOf(
      ConcurrentUpdateConflict,
    );
    const res = await s.call("GET", `/api/v1/payees/${a.id}`);
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe(a.name);
  });
});
