// The reliability harness reads the API from what the Worker publishes: the route table of the
// real Worker (functions/api.ts) and its /openapi.json. A new group is covered the moment it is
// mounted, with no test written for it.
import { SELF } from "cloudflare:test";
import { createApp } from "../../src/app";
import { allRouters } from "../../src/routes";

export type Schema = Record<string, any>;

export interface Operation {
  /** "GET /api/v1/payees/{id}" */
  key: string;
  method: string;
  /** OpenAPI path template, e.g. /api/v1/payees/{id} */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema; required: boolean; example?: unknown }[];
  headers: { name: string; schema: Schema }[];
  body?: Schema;
  bodyRequired: boolean;
  /** Documented statuses. */
  statuses: number[];
  /** Security scheme names; [] means public. */
  security: string[];
  isWrite: boolean;
}

export interface ApiDoc {
  doc: Schema;
  operations: Operation[];
  resolve(schema: Schema | undefined): Schema | undefined;
}

let cached: Promise<ApiDoc> | undefined;

export function loadApi(): Promise<ApiDoc> {
  cached ??= (async () => {
    const res = await SELF.fetch("http://disburse.test/openapi.json");
    if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
    const doc = (await res.json()) as Schema;
    const resolve = (schema: Schema | undefined): Schema | undefined => {
      let s = schema;
      for (let i = 0; s?.$ref && i < 20; i++) s = doc.components?.schemas?.[String(s.$ref).replace("#/components/schemas/", "")];
      return s;
    };
    const globalSecurity = schemesOf(doc.security ?? []);
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
      for (const [method, op] of Object.entries<Schema>(item)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const params: Schema[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
        const json = op.requestBody?.content?.["application/json"];
        operations.push({
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
          query: params
            .filter((p) => p.in === "query")
            .map((p) => ({
              name: p.name,
              schema: resolve(p.schema) ?? {},
              required: !!p.required,
              example: p.example ?? resolve(p.schema)?.example,
            })),
          headers: params.filter((p) => p.in === "header").map((p) => ({ name: p.name, schema: resolve(p.schema) ?? {} })),
          body: json ? resolve(json.schema) : undefined,
          bodyRequired: !!op.requestBody?.required,
          statuses: Object.keys(op.responses ?? {}).map(Number),
          security: op.security ? schemesOf(op.security) : globalSecurity,
          isWrite: method !== "get",
        });
      }
    }
    return { doc, operations, resolve };
  })();
  return cached;
}

function schemesOf(security: Schema[]): string[] {
  return [...new Set(security.flatMap((s) => Object.keys(s)))];
}

/** Every route the Worker serves, as "METHOD /openapi/{template}" keys (middleware-only entries left out). */
export function routeTable(): string[] {
  // functions/api.ts exports the fetch handler wrapped with the lifecycle's handlers, so the
  // route table is read from the same app it builds.
  const app = createApp(allRouters) as unknown as { routes: { method: string; path: string }[] };
  const keys = app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
  return [...new Set(keys)];
}

/** The request path for a template with its parameters filled in (already URL-encoded values). */
export function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`no value for {${name}} in ${path}`);
    return params[name]!;
  });
}

/**
 * A valid example of a schema, from the examples the document carries (every request body has
 * one by convention), else built from its properties' examples.
 */
export function exampleOf(api: ApiDoc, schema: Schema | undefined, depth = 0): unknown {
  const s = api.resolve(schema);
  if (!s || depth > 8) return undefined;
  if (s.example !== undefined) return structuredClone(s.example);
  if (s.examples?.length) return structuredClone(s.examples[0]);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x: Schema) => exampleOf(api, x, depth + 1) ?? {}));
  if (s.anyOf ?? s.oneOf) return exampleOf(api, (s.anyOf ?? s.oneOf)[0], depth + 1);
  if (s.enum) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== "null") : s.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries<Schema>(s.properties ?? {})) {
        const v = exampleOf(api, prop, depth + 1);
        if (v !== undefined && (s.required?.includes(name) || api.resolve(prop)?.example !== undefined)) out[name] = v;
      }
      return out;
    }
    case "array":
      return [exampleOf(api, s.items, depth + 1)];
    case "integer":
    case "number":
      return s.minimum ?? 1;
    case "string":
      return "example";
    case "boolean":
      return true;
    default:
      return undefined;
  }
}
