import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../../src/app";
import type { Env } from "../../../src/env";
import { allRouters } from "../../../src/routes";
import { call, expectError } from "../../harness";

const good = env as unknown as Env;
const app = createApp(allRouters);

/** The Worker as deployed with these settings changed (a fresh env object: the check is cached per env). */
function withSettings(changes: Record<string, string | undefined>) {
  const settings = { ...good, ...changes } as Env;
  return (path: string) => app.request(`http://disburse.test${path}`, {}, settings);
}

afterEach(() => vi.restoreAllMocks());

describe("a Worker whose configuration is invalid", () => {
  it("answers /health 503 naming each missing or invalid setting, never a value, and logs the same", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await withSettings({
      PAYOUT_HASH_SECRET: undefined,
      DATABASE_URL: "mysql://admin:hunter2-the-password@db.example/x",
      AUTH_CACHE_TTL_SECONDS: "600",
    })("/health");
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(text).not.toContain("hunter2");
    const body = JSON.parse(text);
    expect(body.status).toBe("misconfigured");
    expect(body.configuration.ok).toBe(false);
    expect(body.configuration.problems).toEqual(
      expect.arrayContaining([
        { setting: "PAYOUT_HASH_SECRET", problem: "missing" },
        { setting: "DATABASE_URL", problem: "must be a postgres:// URL" },
        { setting: "AUTH_CACHE_TTL_SECONDS", problem: expect.stringContaining("60") },
      ]),
    );
    expect(body.configuration.problems).toHaveLength(3);
    const logged = log.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain("Invalid Worker configuration: ");
    expect(logged).toContain("PAYOUT_HASH_SECRET (missing)");
    expect(logged).toContain("DATABASE_URL");
    expect(logged).not.toContain("hunter2");
  });

  it("answers every other route 503 service_unavailable naming the settings", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await withSettings({ PAYOUT_HASH_SECRET: "short" })("/api/v1/balance");
    const err = await expectError(res, 503, "service_unavailable");
    expect(err.message).toContain("PAYOUT_HASH_SECRET (must be at least 32 characters)");
    expect(err.message).not.toContain("short");
  });

  it("reports a configured Worker as such", async () => {
    const body = await (await call("GET", "/health")).json();
    expect(body).toMatchObject({ status: "ok", configuration: { ok: true }, database: { ok: true } });
  });
});
