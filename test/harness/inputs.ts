// Bad inputs generated from an operation's OpenAPI description, with fast-check (seeded).
import fc from "fast-check";
import type { Operation } from "./openapi";

export interface Case {
  /** What was done to the valid request, for the failure report. */
  what: string[];
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface ValidRequest {
  params: Record<string, string>;
  /** Required query parameters ("name=value", encoded), from their examples. */
  query: string[];
  body?: unknown;
  headers: Record<string, string>;
}

const deepArray = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth));
const deepObject = (depth: number) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

const hostileStrings = [
  "",
  " ",
  "a".repeat(100_000),
  "é".repeat(50_000),
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\ud83dy",
  "\u202e\u0000\ufeff",
  "'; DROP TABLE payees; --",
  "__proto__",
  "constructor",
  "toString",
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "12.345",
  "%00",
  "\\",
  '"',
  "🙂".repeat(300),
];

const hostileNumbers = [
  -1,
  0,
  -0,
  1.5,
  0.001,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  5e-324,
];

/** Numbers JavaScript cannot hold, spliced into the JSON text as they are. */
const rawNumbers = ["1e400", "-1e400", "123456789012345678901234567890", "1.00000000000000000000001", "-0.0", "0e0"];

type Hostile = { value: unknown } | { raw: string };

/**
 * The value of a hostile input, as a copy: the objects and arrays above are shared by every case,
 * and a second mutation may write into what the first put in the body (an unknown field added to
 * it), which would change later cases and could make a value contain itself.
 */
const fresh = (v: unknown) => (v !== null && typeof v === "object" ? structuredClone(v) : v);

const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  fc.constantFrom(...hostileStrings).map((value) => ({ value })),
  fc.constantFrom(...hostileNumbers).map((value) => ({ value })),
  fc.constantFrom(...rawNumbers).map((raw) => ({ raw })),
  fc
    .constantFrom<unknown>(
      null,
      true,
      false,
      [],
      {},
      [null],
      { a: 1 },
      ["x"],
      Array.from({ length: 10_000 }, (_, i) => i),
    )
    .map((value) => ({ value })),
  fc.constantFrom(64, 1_000, 5_000).map((d) => ({ value: deepArray(d) })),
  fc.constantFrom(64, 1_000).map((d) => ({ value: deepObject(d) })),
  fc.string({ maxLength: 20 }).map((value) => ({ value })),
  fc.integer().map((value) => ({ value })),
  fc.double({ noNaN: true }).map((value) => ({ value })),
);

const unknownKeys = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "id",
  "business_id",
  "created_at",
  "updated_at",
  "",
  "a".repeat(1_000),
  "\u0000",
  "\ud800",
  "extra",
];

/** Bodies that are not a JSON object of the right shape at all. */
const rawBodies: fc.Arbitrary<{ what: string; body: string | Uint8Array; contentType?: string }> = fc.oneof(
  fc
    .constantFrom(
      "",
      "null",
      "[]",
      "1",
      '"text"',
      "true",
      "{",
      '{"a":',
      "{}garbage",
      "{'single': 1}",
      "NaN",
      "\ufeff{}",
      '{"name": "a", "name": 1}',
      "[".repeat(100_000) + "]".repeat(100_000),
      '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000),
      `{"pad": "${"x".repeat(1_100_000)}"}`,
    )
    .map((body) => ({ what: `raw body ${JSON.stringify(body.slice(0, 40))}${body.length > 40 ? `… (${body.length} chars)` : ""}`, body })),
  fc
    .constantFrom(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]))
    .map((body) => ({
      what: `invalid UTF-8 body ${[...body].map((b) => b.toString(16)).join(" ")}`,
      body,
    })),
  fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "").map((contentType) => ({
    what: `Content-Type ${JSON.stringify(contentType)}`,
    body: "{}",
    contentType,
  })),
);

const hostileIds = [
  "%00",
  "%ff",
  "%ED%A0%80",
  "..",
  "%2e%2e",
  "%2F",
  "a".repeat(5_000),
  "pye_00000000000000000000000000",
  "pou_01jd5m3k6v2q8r9t0w1x2y3z4a",
  "pye_01jd5m3k6v2q8r9t0w1x2y3z4a",
  encodeURIComponent("'; DROP TABLE payees; --"),
  "%F0%9F%98%80",
  "null",
  "__proto__",
  "constructor",
  "%20",
  "-1",
  "1e999",
  "%C0%AF",
];

const hostileQueryValues = [
  "",
  "-1",
  "0",
  "201",
  "1e3",
  "abc",
  "1.5",
  "%00",
  "%ff",
  "%zz",
  "a".repeat(10_000),
  "null",
  "__proto__",
  "%ED%A0%80",
  "99999999999999999999",
];

/** Authorization headers that name no principal (undefined: the header left out). */
const hostileCredentials: (string | undefined)[] = [
  undefined,
  "",
  "Bearer",
  "Bearer ",
  "Bearer x",
  `Bearer ${"a".repeat(10_000)}`,
  "Bearer __proto__",
  "Bearer sk_live_%00",
  "Basic",
  "Basic %%%",
  "Basic Og==",
  `Basic ${btoa("__proto__:")}`,
  "Token abc",
  "bearer  two  spaces",
];

interface Paths {
  /** Every path into the valid body (objects' fields and array items). */
  all: (string | number)[][];
  objects: (string | number)[][];
}

function pathsOf(value: unknown, prefix: (string | number)[] = [], out: Paths = { all: [], objects: [] }): Paths {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.all.push([...prefix, i]);
      pathsOf(v, [...prefix, i], out);
    });
  } else if (value && typeof value === "object") {
    out.objects.push(prefix);
    for (const [k, v] of Object.entries(value)) {
      out.all.push([...prefix, k]);
      pathsOf(v, [...prefix, k], out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: (string | number)[]): any {
  let v: any = root;
  for (const p of path.slice(0, -1)) v = v[p];
  if (!v || typeof v !== "object") throw new Error("not an object any more");
  return v;
}

/** Sets a key as an own property, even `__proto__`, so JSON.stringify sends it. */
function setOwn(target: any, key: string | number, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

type Mutation = (req: {
  body: unknown;
  params: Record<string, string>;
  query: string[];
  headers: Record<string, string>;
  raws: string[];
}) => string;

export function mutationsFor(op: Operation, valid: ValidRequest): fc.WeightedArbitrary<Mutation>[] {
  const muts: fc.Arbitrary<Mutation>[] = [];
  /** Mutations that only reach the authentication gate: picked a third as often as the others. */
  const rare: fc.Arbitrary<Mutation>[] = [];
  const paths = pathsOf(valid.body);
  if (op.body) {
    if (paths.all.length) {
      muts.push(
        fc.tuple(fc.constantFrom(...paths.all), hostileValue).map(
          ([path, h]): Mutation =>
            (r) => {
              const parent = parentOf(r.body, path);
              const key = path[path.length - 1]!;
              if ("raw" in h) {
                r.raws.push(h.raw);
                setOwn(parent, key, `__RAW_${r.raws.length - 1}__`);
                return `${path.join(".")} = ${h.raw}`;
              }
              setOwn(parent, key, fresh(h.value));
              return `${path.join(".")} = ${describeValue(h.value)}`;
            },
        ),
        fc.constantFrom(...paths.all).map(
          (path): Mutation =>
            (r) => {
              const parent = parentOf(r.body, path);
              const key = path[path.length - 1]!;
              if (Array.isArray(parent)) parent.splice(Number(key), 1);
              else delete parent[key];
              return `delete ${path.join(".")}`;
            },
        ),
      );
    }
    if (paths.objects.length) {
      muts.push(
        fc.tuple(fc.constantFrom(...paths.objects), fc.constantFrom(...unknownKeys), hostileValue).map(
          ([path, key, h]): Mutation =>
            (r) => {
              const target = path.length ? parentOf(r.body, [...path, "x"]) : r.body;
              setOwn(target, key, "value" in h ? fresh(h.value) : 1);
              return `add unknown field ${path.concat(JSON.stringify(key).slice(0, 30)).join(".")}`;
            },
        ),
      );
    }
    muts.push(
      hostileValue.map(
        (h): Mutation =>
          (r) => {
            r.body = "value" in h ? fresh(h.value) : 0;
            return `body = ${"value" in h ? describeValue(h.value) : h.raw}`;
          },
      ),
      rawBodies.map(
        (raw): Mutation =>
          (r) => {
            r.body = { __raw: raw.body };
            if (raw.contentType !== undefined) {
              if (raw.contentType === "") delete r.headers["Content-Type"];
              else r.headers["Content-Type"] = raw.contentType;
            }
            return raw.what;
          },
      ),
    );
  }
  const queryNames = op.query.map((q) => q.name);
  // An operation without query parameters ignores a query string: such inputs would mostly be
  // valid writes, which cost time and test nothing, so they are kept for operations with a query.
  if (queryNames.length || !op.isWrite)
    muts.push(
      fc
        .tuple(fc.constantFrom(...queryNames, "unknown_param", "__proto__", "LIMIT", "limit[]"), fc.constantFrom(...hostileQueryValues))
        .map(
          ([name, value]): Mutation =>
            (r) => {
              r.query.push(`${encodeURIComponent(name)}=${/%/.test(value) ? value : encodeURIComponent(value)}`);
              return `query ${name}=${value.slice(0, 30)}`;
            },
        ),
    );
  if (queryNames.length) {
    muts.push(
      fc.constantFrom(...queryNames).map(
        (name): Mutation =>
          (r) => {
            r.query.push(`${name}=1`, `${name}=2`);
            return `query ${name} repeated`;
          },
      ),
    );
  }
  if (op.pathParams.length) {
    muts.push(
      fc.tuple(fc.constantFrom(...op.pathParams), fc.constantFrom(...hostileIds)).map(
        ([name, id]): Mutation =>
          (r) => {
            r.params[name] = id;
            return `path {${name}} = ${id.slice(0, 40)}`;
          },
      ),
    );
  }
  if (op.security.length) {
    rare.push(
      fc.constantFrom(...hostileCredentials).map(
        (auth): Mutation =>
          (r) => {
            if (auth === undefined) delete r.headers.Authorization;
            else r.headers.Authorization = auth;
            return `Authorization ${auth === undefined ? "left out" : JSON.stringify(auth.slice(0, 30))}`;
          },
      ),
    );
  }
  if (op.isWrite) {
    muts.push(
      fc.constantFrom("", "a".repeat(256), "a".repeat(8_000), " ", "\t").map(
        (key): Mutation =>
          (r) => {
            r.headers["Idempotency-Key"] = key;
            return `Idempotency-Key ${JSON.stringify(key.slice(0, 20))} (${key.length} chars)`;
          },
      ),
    );
  }
  return [...muts.map((arbitrary) => ({ arbitrary, weight: 3 })), ...rare.map((arbitrary) => ({ arbitrary, weight: 1 }))];
}

function describeValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
}

/** N bad requests for one operation, reproducible from the seed. */
export function badInputs(
  op: Operation,
  valid: ValidRequest,
  seed: number,
  n: number,
  fillPath: (params: Record<string, string>) => string,
): Case[] {
  const muts = mutationsFor(op, valid);
  const arb = fc.array(fc.oneof(...muts), { minLength: 1, maxLength: 2 });
  return fc.sample(arb, { seed, numRuns: n }).map((chosen) => {
    const r = {
      body: structuredClone(valid.body),
      params: { ...valid.params },
      query: [...valid.query],
      headers: { ...valid.headers },
      raws: [] as string[],
    };
    // A second mutation may aim inside something the first replaced: then it does nothing.
    const what = chosen.map((m) => {
      try {
        return m(r);
      } catch {
        return "(a mutation that no longer applied)";
      }
    });
    let body: string | Uint8Array | undefined;
    const b = r.body as any;
    if (b && typeof b === "object" && "__raw" in b) body = b.__raw;
    else if (op.body || r.body !== undefined) {
      body = JSON.stringify(r.body) ?? "";
      r.raws.forEach((raw, i) => {
        body = (body as string).replace(`"__RAW_${i}__"`, raw);
      });
    }
    return { what, path: fillPath(r.params), query: r.query.join("&"), headers: r.headers, body };
  });
}
