// The local-only routes (src/local/local-routes.ts). The restart hook that the bank check uses: a
// restarted BalanceLedger has lost its memory and answers from SQL, and a restart in the middle of
// money moving loses or doubles nothing. The cron route the dev runner fires. Neither exists in production.
import { env, SELF } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { withLocalRoutes } from "../../src/local/local-routes";
import { localRestartPath, restartObject } from "../../src/local/restart-trigger";
import { localCronPath, runScheduled } from "../../src/local/scheduled-trigger";
import { manyAtOnce, type Seeded, seedBusiness, testDb } from "../harness";

const restart = (query: string) => SELF.fetch(`http://disburse.test${localRestartPath}?${query}`, { method: "POST" });

type Answer = { status: number; replayed: string | null; body: { error?: { code: string } } };

async function allocate(s: Seeded, email: string, amount: number, key?: string): Promise<Answer> {
  const res = await s.call("POST", "/api/v1/payout-users", { json: { email, amount }, headers: key ? { "Idempotency-Key": key } : {} });
  return { status: res.status, replayed: res.headers.get("Idempotent-Replayed"), body: await res.json() };
}

async function books(businessId: string) {
  const { rows } = await testDb().execute<{ balance: string; users: string; history: string }>(sql`
    SELECT (SELECT payout_balance FROM businesses WHERE id = ${businessId}) AS balance,
           (SELECT coalesce(sum(balance), 0) FROM payout_users WHERE business_id = ${businessId}) AS users,
           (SELECT coalesce(sum(amount), 0) FROM payout_user_transactions WHERE business_id = ${businessId}) AS history`);
  const r = rows[0]!;
  return { balance: Number(r.balance), users: Number(r.users), history: Number(r.history) };
}

describe("POST /__local/restart", () => {
  it("restarts a business's BalanceLedger, which then answers from SQL instead of its memory", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    expect((await allocate(s, "a@example.com", 3_000, "first")).status).toBe(201);
    // Behind the ledger's back: its memory still says 7,000.
    await testDb().execute(sql`UPDATE businesses SET payout_balance = 1000 WHERE id = ${s.business.id}`);

    const res = await restart(`ledger=${s.business.id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("restarted");

    // A fresh object loads the balance: a plain refusal, not a write that the database's CHECK has to stop.
    const refused = await allocate(s, "a@example.com", 5_000);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("insufficient_balance");
    // The key lives in SQL, so the replay survives the restart.
    const replayed = await allocate(s, "a@example.com", 3_000, "first");
    expect(replayed).toMatchObject({ status: 201, replayed: "true" });
    expect((await allocate(s, "a@example.com", 1_000)).status).toBe(200);
    expect(await books(s.business.id)).toEqual({ balance: 0, users: 4_000, history: 4_000 });
  });

  it("loses and doubles nothing when it strikes while allocations are in flight", async () => {
    const s = await seedBusiness({ balance: 100_000n, rateLimit: manyAtOnce });
    await allocate(s, "warm@example.com", 1);
    const keys = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const send = (i: number) => allocate(s, `u${i % 5}@example.com`, 100 + i, keys[i]);
    const inFlight = keys.map((_, i) => send(i));
    const restarted = await restart(`ledger=${s.business.id}`);
    let answers = await Promise.all(inFlight);
    expect(restarted.status).toBe(200);
    // Calls cut off by the restart are a 503 ("retry"), never a 500; retried with their keys, each lands once.
    expect(answers.every((a) => [200, 201, 503].includes(a.status))).toBe(true);
    for (let round = 0; round < 5 && answers.some((a) => a.status === 503); round++)
      answers = await Promise.all(answers.map((a, i) => (a.status === 503 ? send(i) : a)));
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const total = 1 + keys.reduce((sum, _, i) => sum + 100 + i, 0);
    expect(await books(s.business.id)).toEqual({ balance: 100_000 - total, users: total, history: total });
  });

  it("restarts a RateLimiter, and refuses a request that names no object", async () => {
    const s = await seedBusiness();
    expect((await s.call("GET", "/api/v1/balance")).status).toBe(200);
    expect((await restart(`limiter=key:${s.key.id}`)).status).toBe(200);
    const after = await s.call("GET", "/api/v1/balance");
    expect(after.status).toBe(200);
    // A fresh bucket is full again: the burst less this one request.
    expect(after.headers.get("RateLimit-Remaining")).toBe("199");
    expect((await restart("")).status).toBe(400);
    expect((await SELF.fetch(`http://disburse.test${localRestartPath}?ledger=x`)).status).toBe(405);
  });

  it("is not there without SQL_ENDPOINT (production)", async () => {
    const app = { fetch: (_request: Request, _env: Env, _ctx: ExecutionContext) => new Response("the app", { status: 404 }) };
    const handler = withLocalRoutes(app, { [localRestartPath]: restartObject });
    const production = { ...(env as unknown as Env), SQL_ENDPOINT: undefined };
    const res = await handler.fetch(
      new Request(`http://disburse.test${localRestartPath}?ledger=biz_x`, { method: "POST" }),
      production,
      {} as ExecutionContext,
    );
    expect(await res.text()).toBe("the app");
  });

  it("fires the scheduled handler on /__local/scheduled locally, and only locally", async () => {
    const crons: string[] = [];
    const app = {
      fetch: (_request: Request, _env: Env, _ctx: ExecutionContext) => new Response("the app", { status: 404 }),
      scheduled: async (controller: ScheduledController) => void crons.push(controller.cron),
    };
    const handler = withLocalRoutes(app, { [localCronPath]: runScheduled, [localRestartPath]: restartObject });
    const local = env as unknown as Env;
    const fire = (e: Env) => handler.fetch(new Request(`http://disburse.test${localCronPath}?cron=*/5+*+*+*+*`), e, {} as ExecutionContext);
    expect(await (await fire(local)).text()).toBe("ok");
    expect(crons).toEqual(["*/5 * * * *"]);
    expect(await (await fire({ ...local, SQL_ENDPOINT: undefined })).text()).toBe("the app");
    expect(crons).toHaveLength(1);
    // Any other path is the app's, and a name on Object.prototype is not a route.
    const other = await handler.fetch(new Request("http://disburse.test/constructor"), local, {} as ExecutionContext);
    expect(await other.text()).toBe("the app");
  });
});
