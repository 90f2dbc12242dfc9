import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";

/**
 * GET /openapi.json: the document @hono/zod-openapi generates from the routes, completed here
 * once for every group, so that it lints clean with `@redocly/cli lint` (recommended rules; the
 * test is test/local/openapi-lint.test.ts) without each route repeating the same lines.
 *
 * RULES FOR A NEW ENDPOINT GROUP (what this step does not do for you):
 * - Examples: an `example` on every field of a body or response schema (`.openapi({ example })`),
 *   or one on the whole schema (`.openapi("Name", { example })`). A body or 2xx response whose
 *   content has no example gets one assembled here from those (wrappers such as `{ data, meta }`
 *   included); the lint test fails when a required field has none to offer.
 * - The error statuses specific to the operation: `...errorResponses(403, 404, 409, ...)`.
 * - A public route says so with `security: []`; a route with other credentials names its scheme.
 * - Optionally your own `operationId` (camelCase, unique); otherwise one is derived below.
 *
 * What this step adds to every operation that lacks it:
 * - `operationId`: the method and the path, e.g. `GET /api/v1/payees/{id}` -> `getPayeesById`.
 * - the `Idempotency-Key` header on every POST (every POST accepts it, README "Idempotency").
 * - the error statuses the shared request path can answer: 400 for any operation with a body or
 *   query parameters (validation), 413 and 415 for a body, 401 when credentials are required,
 *   500 (a bug, with the request id) and 503 (the Worker is misconfigured or a dependency is down).
 * - `servers` (the origin the document was fetched from) and the license.
 * - the example of a request body or 2xx response that has none, from its schema's examples.
 */

type Doc = ReturnType<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>;
type Config = Parameters<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>[0];
type Content = Record<string, { schema?: Schema; example?: unknown; examples?: unknown }>;
type Operation = {
  operationId?: string;
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  requestBody?: { content?: Content };
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Content }>;
};
type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  example?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

const missing = Symbol("no example");

/**
 * An example for `schema` from the examples of its parts, or `missing` when a required field
 * has none. Optional fields without one are left out.
 */
function exampleFor(schema: Schema | undefined, schemas: Record<string, Schema>, depth = 0): unknown {
  if (!schema || depth > 8) return missing;
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.$ref) return exampleFor(schemas[schema.$ref.replace("#/components/schemas/", "")], schemas, depth + 1);
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  for (const options of [schema.oneOf, schema.anyOf]) {
    for (const option of options ?? []) {
      const example = exampleFor(option, schemas, depth + 1);
      if (example !== missing) return example;
    }
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((part) => exampleFor(part, schemas, depth + 1));
    return parts.includes(missing) ? missing : Object.assign({}, ...parts);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (Array.isArray(schema.type) && schema.type.includes("null") && !type) return null;
  if (type === "object" || schema.properties) {
    const example: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const value = exampleFor(property, schemas, depth + 1);
      if (value !== missing) example[name] = value;
      else if (schema.required?.includes(name)) return missing;
    }
    return example;
  }
  if (type === "array") {
    const item = exampleFor(schema.items, schemas, depth + 1);
    return item === missing ? missing : [item];
  }
  if (type === "boolean") return true;
  if (type === "string" && schema.format === "date-time") return "2026-01-15T09:30:00.000Z";
  if (Array.isArray(schema.type) && schema.type.includes("null")) return null;
  return missing;
}

function addExample(content: Content | undefined, schemas: Record<string, Schema>): void {
  const json = content?.["application/json"];
  if (!json || json.example !== undefined || json.examples !== undefined) return;
  const example = exampleFor(json.schema, schemas);
  if (example !== missing) json.example = example;
}

/** The project's license as the document states it (package.json and README should agree). */
export const apiLicense = { name: "MIT", identifier: "MIT" };

const methods = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

const sharedErrors: Record<string, string> = {
  400: "Invalid request (see `error.code` and `error.fields`)",
  401: "Missing, unknown or revoked credentials",
  413: "Body over 1 MiB",
  415: "Body is not JSON",
  500: "Unexpected error (a bug): only the request id is returned; quote it",
  503: "Temporarily unavailable (the database or ledger did not answer, or the Worker is misconfigured: GET /health names the settings); safe to retry",
};

const errorResponse = (status: string) => ({
  description: sharedErrors[status]!,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** `GET /api/v1/payees/{id}/transactions` -> `getPayeesByIdTransactions`. */
export function deriveOperationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v\d+/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1];
      return param ? `By-${param}` : segment;
    })
    .flatMap((segment) => segment.split(/[-_]/))
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return method + words.join("");
}

export function completeDocument(doc: Doc): Doc {
  const globalSecurity = doc.security ?? [];
  const components = (doc.components ??= {});
  components.parameters = {
    ...components.parameters,
    IdempotencyKey: {
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Makes the request safe to retry: the same key and body replay the first answer (`Idempotent-Replayed: true`); the same key with another body is a 422.",
      schema: { type: "string", minLength: 1, maxLength: 255 },
      example: "order-1234-payout",
    },
  };
  const schemas = (components.schemas ?? {}) as Record<string, Schema>;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      op.operationId ??= deriveOperationId(method, path);
      const params = op.parameters ?? [];
      if (method === "post" && !params.some((p) => "name" in p && p.in === "header" && p.name.toLowerCase() === "idempotency-key")) {
        op.parameters = [...params, { $ref: "#/components/parameters/IdempotencyKey" }];
      }
      const statuses = ["500", "503"];
      if (op.requestBody || params.some((p) => "in" in p && p.in === "query")) statuses.push("400");
      if (op.requestBody) statuses.push("413", "415");
      if ((op.security ?? globalSecurity).length > 0) statuses.push("401");
      for (const status of statuses) op.responses[status] ??= errorResponse(status);
      addExample(op.requestBody?.content, schemas);
      for (const [status, response] of Object.entries(op.responses)) if (status.startsWith("2")) addExample(response.content, schemas);
      op.responses = Object.fromEntries(Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  doc.info.license ??= apiLicense;
  return doc;
}

/** Serves the completed document at `path`, built once per app; `servers` is where it was fetched from. */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv, any, any>, path: string, config: Config) {
  let doc: Doc | undefined;
  app.get(path, (c) => {
    doc ??= completeDocument(app.getOpenAPI31Document(config));
    return c.json({ ...doc, servers: [{ url: new URL(c.req.url).origin, description: "This deployment" }] });
  });
}
