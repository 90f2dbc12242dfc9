// The harness covers what the Worker serves: every route is in /openapi.json, and every
// operation that names an object has a fixture (or an exemption with a reason).
import { describe, expect, it } from "vitest";
import { apiKeySchemes, bodyNamedObjects, clientNamedIds, exempt, fixtures, principals, publicRoutes, validBodies } from "./fixtures";
import { loadApi, routeTable } from "./openapi";

/** Routes served on purpose without an OpenAPI entry. */
const undocumented = new Set(["GET /openapi.json", "GET /docs"]);

describe("harness coverage", () => {
  it("every route of the Worker is an operation in /openapi.json, and the other way round", async () => {
    const api = await loadApi();
    const documented = new Set(api.operations.map((op) => op.key));
    const served = routeTable().filter((k) => !undocumented.has(k));
    expect(
      served.filter((k) => !documented.has(k)),
      "served but not in /openapi.json",
    ).toEqual([]);
    expect(
      [...documented].filter((k) => !served.includes(k)),
      "in /openapi.json but not served",
    ).toEqual([]);
    expect(api.operations.length).toBeGreaterThanOrEqual(15);
  });

  it("every operation that names an object has a fixture or an exemption", async () => {
    const api = await loadApi();
    const missing = api.operations.filter((op) => op.pathParams.length && !fixtures[op.path] && !exempt[op.path]).map((op) => op.key);
    expect(missing, "add a fixture for these path templates to test/harness/fixtures.ts").toEqual([]);
  });

  it("every security scheme has a way to authenticate, and every fixture and override names a real operation", async () => {
    const api = await loadApi();
    const schemes = new Set(api.operations.flatMap((op) => op.security));
    expect([...schemes].filter((s) => !apiKeySchemes.includes(s) && !principals[s])).toEqual([]);
    const templates = new Set(api.operations.map((op) => op.path));
    const keys = new Set(api.operations.map((op) => op.key));
    expect(
      Object.keys(fixtures).filter((t) => !templates.has(t)),
      "stale fixtures",
    ).toEqual([]);
    expect(
      [...Object.keys(validBodies), ...Object.keys(bodyNamedObjects)].filter((k) => !keys.has(k)),
      "stale overrides",
    ).toEqual([]);
  });

  it("every public operation is listed with its reason, and every listed one is public", async () => {
    const api = await loadApi();
    const open = api.operations.filter((op) => !op.security.length).map((op) => op.key);
    expect(
      open.filter((k) => !publicRoutes[k]),
      "public but not in publicRoutes (test/harness/fixtures.ts)",
    ).toEqual([]);
    expect(
      Object.keys(publicRoutes).filter((k) => !open.includes(k)),
      "listed in publicRoutes but not public",
    ).toEqual([]);
    expect(
      Object.keys(clientNamedIds).filter((k) => !api.operations.some((op) => op.key === k)),
      "stale clientNamedIds",
    ).toEqual([]);
  });

  it("every operation that needs credentials documents the 429 and the RateLimit headers", async () => {
    const api = await loadApi();
    const missing = api.operations.filter((op) => op.security.length && !op.statuses.includes(429)).map((op) => op.key);
    expect(missing).toEqual([]);
    for (const op of api.operations.filter((o) => o.security.length)) {
      const ok = Object.entries<any>(api.doc.paths[op.path][op.method.toLowerCase()].responses).find(([s]) => s.startsWith("2"))![1];
      expect(Object.keys(ok.headers ?? {}), op.key).toEqual(
        expect.arrayContaining(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]),
      );
    }
  });
});
