// Shared by the fuzz and tenancy tests: seeding businesses, making objects, valid requests.
import { SELF } from "cloudflare:test";
import { type Seeded, seedBusiness } from "../harness";
import { apiKeySchemes, fixtures, type Made, principals, validBodies } from "./fixtures";
import type { ValidRequest } from "./inputs";
import { type ApiDoc, exampleOf, fill, type Operation } from "./openapi";

/** The harness sends thousands of requests on one key: its keys get a high limit through the seeding helper. */
export const harnessLimit = { rate: 100_000, burst: 100_000 };

export interface Tenant {
  s: Seeded;
  /** A's object for a path template, made once per business. */
  made(template: string): Promise<Made>;
  /** An Authorization header for an operation's security scheme. */
  authFor(op: Operation): Promise<string | undefined>;
}

export async function tenant(opts: { balance?: bigint } = {}): Promise<Tenant> {
  const s = await seedBusiness({ balance: opts.balance ?? 1_000_000_000n, rateLimit: harnessLimit });
  const objects = new Map<string, Promise<Made>>();
  const creds = new Map<string, Promise<string>>();
  let n = 0;
  return {
    s,
    made(template) {
      const fixture = fixtures[template];
      if (!fixture) throw new Error(`no fixture for ${template} (add one to test/harness/fixtures.ts)`);
      if (!objects.has(template)) objects.set(template, fixture(s, n++));
      return objects.get(template)!;
    },
    async authFor(op) {
      if (!op.security.length) return undefined;
      if (op.security.some((scheme) => apiKeySchemes.includes(scheme))) return s.auth;
      const scheme = op.security.find((x) => principals[x]);
      if (!scheme) throw new Error(`${op.key}: no principal for security ${op.security.join(", ")} in test/harness/fixtures.ts`);
      if (!creds.has(scheme)) creds.set(scheme, principals[scheme]!(s));
      return creds.get(scheme)!;
    },
  };
}

/** A request to the operation that should succeed for business A. */
export async function validRequest(api: ApiDoc, op: Operation, t: Tenant): Promise<ValidRequest> {
  const params = op.pathParams.length ? (await t.made(op.path)).params : {};
  const override = validBodies[op.key];
  const body = override ? await override((template) => t.made(template), t.s) : op.body ? exampleOf(api, op.body) : undefined;
  const headers: Record<string, string> = {};
  const auth = await t.authFor(op);
  if (auth) headers.Authorization = auth;
  if (op.body) headers["Content-Type"] = "application/json";
  const query = op.query
    .filter((q) => q.required)
    .map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(String(q.example ?? exampleOf(api, q.schema)))}`);
  return { params, query, body, headers };
}

export function send(
  method: string,
  path: string,
  query: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
  signal?: AbortSignal,
): Promise<Response> {
  return SELF.fetch(`http://disburse.test${path}${query ? `?${query}` : ""}`, {
    method,
    headers,
    body: method === "GET" ? undefined : body,
    signal,
  });
}

export const pathFor = (op: Operation) => (params: Record<string, string>) => fill(op.path, params);

/** Whether a response is our error envelope, with the request id of its header. */
export function isEnvelope(body: any, res: Response): boolean {
  const e = body?.error;
  return (
    !!e &&
    typeof e.type === "string" &&
    typeof e.code === "string" &&
    typeof e.message === "string" &&
    typeof e.request_id === "string" &&
    // A replayed answer (Idempotency-Key) is the first request's, with that request's id.
    (e.request_id === res.headers.get("X-Request-Id") || res.headers.get("Idempotent-Replayed") === "true")
  );
}

export async function readBody(res: Response): Promise<{ text: string; json: any }> {
  const text = await res.text();
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

export const short = (text: string | Uint8Array | undefined, max = 300) => {
  if (text === undefined) return "(none)";
  const s = typeof text === "string" ? text : `bytes ${[...text].map((b) => b.toString(16)).join(" ")}`;
  return s.length > max ? `${JSON.stringify(s.slice(0, max))}… (${s.length} chars)` : JSON.stringify(s);
};
