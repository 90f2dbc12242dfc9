// How to make one object of each group, for the harness. Every OpenAPI operation whose path
// names an object ({id}) must have a fixture here or an exemption with a reason: the coverage
// test fails otherwise, so a new group cannot be forgotten. When a group is merged, add one line
// per path template (usually pointing at an existing creator).
import type { Seeded } from "../harness";

/** One object of business A: the path parameters that name it and the ids that must not leak. */
export interface Made {
  params: Record<string, string>;
  /** Ids of everything the fixture created (B's lists must never show any of them). */
  ids: string[];
  /** The object as answered, for list filters named like its fields (?email=, ?external_id=). */
  object: Record<string, unknown>;
}

export type Fixture = (s: Seeded, n: number) => Promise<Made>;

async function data(res: Response, what: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as { data?: Record<string, unknown> };
  if (res.status >= 300 || !body.data) throw new Error(`fixture ${what}: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

const payee: Fixture = async (s, n) => {
  const obj = await data(
    await s.call("POST", "/api/v1/payees", {
      json: { name: `Fixture payee ${n}`, type: "affiliate", external_id: `fx-${crypto.randomUUID()}` },
    }),
    "payee",
  );
  return { params: { id: String(obj.id) }, ids: [String(obj.id)], object: obj };
};

const payoutUser: Fixture = async (s, n) => {
  const obj = await data(
    await s.call("POST", "/api/v1/payout-users", {
      json: { email: `fixture${n}-${crypto.randomUUID().slice(0, 8)}@example.com`, amount: 1 },
    }),
    "payout user",
  );
  return { params: { id: String(obj.id) }, ids: [String(obj.id)], object: obj };
};

/** Path template -> how to make the object it names. */
export const fixtures: Record<string, Fixture> = {
  "/api/v1/payees/{id}": payee,
  "/api/v1/payout-users/{id}": payoutUser,
  "/api/v1/payout-users/{id}/transactions": payoutUser,
};

/** Objects made up front for every business, so that lists have something of A's to leak. */
export const listSeeds: Fixture[] = [payee, payoutUser];

/** Path templates that name an object but need no fixture, with the reason. */
export const exempt: Record<string, string> = {};

/**
 * Credentials for security schemes other than API keys: the scheme name -> an Authorization
 * header for one of business A's principals.
 */
export const principals: Record<string, (s: Seeded) => Promise<string>> = {
  payoutUserHash: async (s) => `Bearer ${(await payoutUser(s, 0)).object.hash}`,
};

/** API key schemes: what a business's key authenticates with. */
export const apiKeySchemes = ["bearerAuth", "basicAuth"];

/**
 * Valid request bodies where the document's example is not one (it names an object that must
 * exist, say). Keyed by operation ("PUT /api/v1/payees/batch"); gets A's objects by template.
 */
export const validBodies: Record<string, (made: (template: string) => Promise<Made>) => Promise<unknown>> = {
  "PUT /api/v1/payees/batch": async (made) => ({ records: [{ id: (await made("/api/v1/payees/{id}")).params.id, name: "Renamed" }] }),
};

/**
 * Operations that name objects in their body rather than their path: called with business B's
 * key on A's object, the answer must show A's object as not found. Keyed like validBodies.
 */
export const bodyNamedObjects: Record<
  string,
  { body: (made: (template: string) => Promise<Made>) => Promise<unknown>; notFound: (status: number, body: any) => boolean }
> = {
  "PUT /api/v1/payees/batch": {
    body: async (made) => ({ records: [{ id: (await made("/api/v1/payees/{id}")).params.id, name: "Stolen" }] }),
    notFound: (status, body) => status === 200 && body?.data?.[0]?.status === 404,
  },
};
