// Property: whatever mix of valid, invalid and duplicate records a batch carries, every record
// gets the outcome a simple in-memory model predicts, and the stored payees equal the model's:
// nothing half-written, nothing written twice.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Seeded, seedBusiness } from "../../harness";
import { batch, listAll, type PayeeJson } from "./helpers";

type Fields = Record<string, unknown>;
interface ModelPayee {
  id: string;
  external_id: string | null;
  name: string;
  type: string;
  status: string;
  hold_status: string;
  hold_reason: string | null;
}

const keys = ["e0", "e1", "e2", "e3"];
const externalId = fc.constantFrom(...keys);
const name = fc.constantFrom("Northwind", "Contoso", "Fabrikam");
const type = fc.constantFrom("individual", "company", "affiliate", "agency");
const status = fc.constantFrom("active", "inactive", "pending");
const hold = fc.constantFrom<Fields>(
  {},
  { hold_status: "on_hold", hold_reason: "Missing tax form" },
  { hold_status: "on_hold" },
  { hold_status: "none" },
);
// Each invalid kind breaks one rule; the record must fail alone with a 400.
const breakage = fc.constantFrom<Fields>(
  { type: "robot" },
  { name: "" },
  { nickname: "x" },
  { hold_status: "none", hold_reason: "why" },
  { default_fallback_percent: "101" },
);

const someFields = fc.record({ name, type, status }, { requiredKeys: [] }).chain((f) => hold.map((h) => ({ ...f, ...h })));

type Op =
  | { kind: "create"; records: { valid: boolean; body: Fields }[] }
  | { kind: "upsert"; records: { valid: boolean; body: Fields }[] }
  | { kind: "update"; records: { valid: boolean; target: number | "ghost"; patch: Fields }[] };

const createRecord = fc.oneof(
  fc
    .record({ external_id: fc.option(externalId, { nil: null }), name, type, status })
    .chain((r) => hold.map((h) => ({ valid: true, body: { ...r, ...h } }))),
  fc.record({ external_id: externalId, name, type }).chain((r) => breakage.map((b) => ({ valid: false, body: { ...r, ...b } }))),
);

const upsertRecord = fc.oneof(
  fc
    .record({ external_id: externalId, operation: fc.constantFrom("create_only", "update_only", "create_or_update"), fields: someFields })
    .map(({ external_id, operation, fields }) => {
      const body = { external_id, operation, ...fields };
      // A valid upsert changes at least one field, and create_only carries name and type.
      const valid = Object.keys(fields).length > 0 && (operation !== "create_only" || ("name" in fields && "type" in fields));
      return { valid, body };
    }),
  fc
    .record({ external_id: externalId, name, type })
    .chain((r) => breakage.map((b) => ({ valid: false, body: { ...r, operation: "create_or_update", ...b } }))),
);

const updateRecord = fc.oneof(
  fc
    .record({
      target: fc.oneof(fc.nat(7), fc.constant("ghost" as const)),
      fields: someFields,
      external_id: fc.option(fc.option(externalId, { nil: null }), { nil: undefined }),
    })
    .map(({ target, fields, external_id }) => {
      const patch = external_id === undefined ? fields : { ...fields, external_id };
      return { valid: Object.keys(patch).length > 0, target, patch };
    }),
  fc.record({ target: fc.nat(7), b: breakage }).map(({ target, b }) => ({ valid: false, target, patch: { name: "X", ...b } })),
);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.array(createRecord, { minLength: 1, maxLength: 8 }).map((records) => ({ kind: "create" as const, records })),
  fc.array(upsertRecord, { minLength: 1, maxLength: 8 }).map((records) => ({ kind: "upsert" as const, records })),
  fc.array(updateRecord, { minLength: 1, maxLength: 6 }).map((records) => ({ kind: "update" as const, records })),
);

function apply(p: ModelPayee, fields: Fields) {
  for (const key of ["external_id", "name", "type", "status", "hold_status", "hold_reason"] as const) {
    if (key in fields) (p as unknown as Fields)[key] = fields[key];
  }
  if (fields.hold_status === "none") p.hold_reason = null;
}

function created(body: Fields, id: string): ModelPayee {
  const p: ModelPayee = { id, external_id: null, name: "", type: "", status: "active", hold_status: "none", hold_reason: null };
  const { operation: _, ...fields } = body;
  apply(p, fields);
  return p;
}

/** Runs one batch against the API and the model; returns the statuses each predicted. */
async function step(s: Seeded, model: ModelPayee[], o: Op): Promise<{ actual: number[]; expected: number[] }> {
  const byKey = new Map(model.filter((p) => p.external_id !== null).map((p) => [p.external_id!, p]));
  const expected: number[] = [];
  const later: (() => void)[] = [];
  const ghost = "pye_00000000000000000000000000";

  if (o.kind === "update") {
    const ids = o.records.map((r) => (r.target === "ghost" || model.length === 0 ? ghost : model[r.target % model.length]!.id));
    const { body } = await batch(
      s,
      "PUT",
      "/batch",
      o.records.map((r, i) => ({ id: ids[i], ...r.patch })),
    );
    const seenIds = new Set<string>();
    const seenKeys = new Set<string>();
    o.records.forEach((r, i) => {
      const id = ids[i]!;
      const newKey = r.patch.external_id as string | null | undefined;
      if (!r.valid) return expected.push(400);
      if (seenIds.has(id)) return expected.push(409);
      seenIds.add(id);
      if (newKey != null && seenKeys.has(newKey)) return expected.push(409);
      if (newKey != null) seenKeys.add(newKey);
      const target = model.find((p) => p.id === id);
      if (!target) return expected.push(404);
      // The taken-check reads the state before the batch.
      const holder = newKey != null ? byKey.get(newKey) : undefined;
      if (holder && holder.id !== id) return expected.push(409);
      later.push(() => apply(target, r.patch));
      expected.push(200);
    });
    later.forEach((f) => f());
    return { actual: body.data.map((d) => d.status), expected };
  }

  const path = o.kind === "create" ? "/batch" : "/batch/upsert";
  const { body } = await batch(
    s,
    "POST",
    path,
    o.records.map((r) => r.body),
  );
  const seen = new Set<string>();
  o.records.forEach((r, i) => {
    const key = r.body.external_id as string | null;
    const result = body.data[i]!;
    if (!r.valid) return expected.push(400);
    if (key !== null && seen.has(key)) return expected.push(409);
    if (key !== null) seen.add(key);
    const existing = key !== null ? byKey.get(key) : undefined;
    const operation = o.kind === "create" ? "create_only" : (r.body.operation as string);
    if (existing) {
      if (operation === "create_only") return expected.push(409);
      apply(existing, r.body);
      return expected.push(200);
    }
    if (operation === "update_only") return expected.push(404);
    if (!("name" in r.body && "type" in r.body)) return expected.push(400);
    if (result.success) model.push(created(r.body, result.response.data.id));
    expected.push(201);
  });
  return { actual: body.data.map((d) => d.status), expected };
}

const visible = (p: PayeeJson): ModelPayee => ({
  id: p.id,
  external_id: p.external_id,
  name: p.name,
  type: p.type,
  status: p.status,
  hold_status: p.hold_status,
  hold_reason: p.hold_reason,
});

describe("random batches", () => {
  it("never leave a partial or duplicated write", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 4 }), async (ops) => {
        const s = await seedBusiness();
        const model: ModelPayee[] = [];
        for (const o of ops) {
          const { actual, expected } = await step(s, model, o);
          expect(actual).toEqual(expected);
        }
        const stored = await listAll(s);
        expect(stored.map(visible)).toEqual(model);
        const keys = stored.map((p) => p.external_id).filter((k) => k !== null);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 15 },
    );
  });
});
