// Shared setup for the payee route tests: valid bodies, seeding through the API, and paging.

import type { z } from "@hono/zod-openapi";
import { expect } from "vitest";
import type { PayeeBatchResultSchema, PayeeSchema } from "../../../src/routes/payees/schemas";
import type { Seeded } from "../../harness";

// Wire types come from the route schemas, so a test cannot drift from what the API declares.
export type PayeeJson = z.infer<typeof PayeeSchema>;
export type BatchJson = z.infer<typeof PayeeBatchResultSchema>;
export type BatchItemJson = BatchJson["data"][number];

let counter = 0;
/** An external id no other test uses (each business is fresh anyway; this keeps batches distinct). */
export function uniqueExternalId(prefix = "partner"): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}_${counter}`;
}

/** A valid create body, as on the source page. */
export function newPayee(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { external_id: uniqueExternalId(), name: "Northwind Partner", type: "affiliate", status: "active", ...overrides };
}

export async function createPayee(s: Seeded, body: Record<string, unknown> = newPayee()): Promise<PayeeJson> {
  const res = await s.call("POST", "/api/v1/payees", { json: body });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: PayeeJson }).data;
}

export async function batch(
  s: Seeded,
  method: "POST" | "PUT",
  path: string,
  records: unknown[],
): Promise<{ res: Response; body: BatchJson }> {
  const res = await s.call(method, `/api/v1/payees${path}`, { json: { records } });
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, body: (await res.json()) as BatchJson };
}

/** Creates `count` payees through batch creates of up to 100; returns them in creation order. */
export async function seedPayees(s: Seeded, count: number, make: (i: number) => Record<string, unknown> = () => newPayee()) {
  const created: PayeeJson[] = [];
  for (let start = 0; start < count; start += 100) {
    const records = Array.from({ length: Math.min(100, count - start) }, (_, i) => make(start + i));
    const { body } = await batch(s, "POST", "/batch", records);
    for (const item of body.data) {
      if (!item.success) throw new Error(`seeding failed: ${JSON.stringify(item)}`);
      created.push(item.response.data);
    }
  }
  return created;
}

/** Every page of a list query, following next_cursor. */
export async function listAll(s: Seeded, query: Record<string, string> = {}, limit = 200): Promise<PayeeJson[]> {
  const all: PayeeJson[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await s.call("GET", `/api/v1/payees?${params}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as { data: PayeeJson[]; meta: { next_cursor: string | null } };
    all.push(...page.data);
    cursor = page.meta.next_cursor;
  } while (cursor);
  return all;
}

/** One authenticated request so the key is in the isolate's cache and later requests pay no auth round trip. */
export async function warmAuth(s: Seeded): Promise<void> {
  const res = await s.call("GET", "/api/v1/payees?limit=1");
  expect(res.status).toBe(200);
}
