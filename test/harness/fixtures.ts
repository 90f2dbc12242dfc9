// How to make one object of each group, for the harness. Every OpenAPI operation whose path
// names an object ({id}) must have a fixture here or an exemption with a reason: the coverage
// test fails otherwise, so a new group cannot be forgotten. When a group is merged, add one line
// per path template (usually pointing at an existing creator).
import { localSandboxSecret, signWebhook } from "../../src/rails/signing";
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

/** A SEPA initiation in the business's currency with a refId no other payout of the business uses. */
export function initiation(s: Seeded) {
  return {
    refId: `fx-${crypto.randomUUID().slice(0, 15)}`,
    amount: { value: "1.00", currency: s.business.currency },
    localInstrument: "SEPA",
    creditor: { name: "Ada Lovelace", iban: "DE89370400440532013000", bic: "COBADEFFXXX" },
  };
}

const payout: Fixture = async (s) => {
  const res = await s.call("POST", "/api/v1/payouts", { json: { initiation: initiation(s) } });
  const body = (await res.json()) as { payout?: Record<string, unknown> };
  if (res.status !== 200 || !body.payout) throw new Error(`fixture payout: ${res.status} ${JSON.stringify(body)}`);
  return { params: { id: String(body.payout.id) }, ids: [String(body.payout.id)], object: body.payout };
};

/** A payout request's body: its id is chosen by the client, in the business's own namespace. */
export const payoutRequestBody = { websiteId: "web_fixture", customerId: "cus_fixture", currency: "USD", amount: 100 };

const payoutRequest: Fixture = async (s) => {
  const id = `fx-${crypto.randomUUID()}`;
  const res = await s.call("PUT", `/api/v1/payout-requests/${id}`, { json: payoutRequestBody });
  const obj = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) throw new Error(`fixture payout request: ${res.status} ${JSON.stringify(obj)}`);
  return { params: { id }, ids: [], object: obj };
};

/** A ledger payout with its own new payment; the path names the business as well as the payout. */
export const ledgerPayoutInput = () => {
  const external_id = `fx-${crypto.randomUUID()}`;
  return {
    external_id,
    paid_out_amount: 970,
    fee: 30,
    completed_at: "2024-03-05T10:00:00Z",
    processor: "STRIPE",
    payments: [{ invoice_payment_external_id: `${external_id}-pay`, amount: 1000 }],
  };
};

const ledgerPayout: Fixture = async (s) => {
  const res = await s.call("POST", `/v1/businesses/${s.business.id}/payouts/bulk`, { json: [ledgerPayoutInput()] });
  const body = (await res.json()) as Record<string, unknown>[];
  if (res.status !== 200 || !Array.isArray(body)) throw new Error(`fixture ledger payout: ${res.status} ${JSON.stringify(body)}`);
  const id = String(body[0]!.id);
  return { params: { businessId: s.business.id, payoutId: id }, ids: [id], object: body[0]! };
};

/** Routes that name only the business: its own id, and a payout of its ledger for B's lists to leak. */
const ledgerBusiness: Fixture = async (s, n) => {
  const made = await ledgerPayout(s, n);
  return { params: { businessId: s.business.id }, ids: made.ids, object: {} };
};

/** Public and signed: the rail is not an object of a business (see publicRoutes). */
const rail: Fixture = async () => ({ params: { rail: "sandbox" }, ids: [], object: {} });

/** Path template -> how to make the object it names. */
export const fixtures: Record<string, Fixture> = {
  "/api/v1/payees/{id}": payee,
  "/api/v1/payout-users/{id}": payoutUser,
  "/api/v1/payout-users/{id}/transactions": payoutUser,
  "/api/v1/payouts/{id}": payout,
  "/api/v1/payout-requests/{id}": payoutRequest,
  "/v1/businesses/{businessId}/payouts/{payoutId}": ledgerPayout,
  "/v1/businesses/{businessId}/payouts/{payoutId}/match": ledgerPayout,
  "/v1/businesses/{businessId}/payouts/bulk": ledgerBusiness,
  "/v1/businesses/{businessId}/payouts": ledgerBusiness,
  "/v1/businesses/{businessId}/ledger/accounts": ledgerBusiness,
  "/v1/businesses/{businessId}/ledger/entries": ledgerBusiness,
  "/v1/businesses/{businessId}/bank-transactions/bulk": ledgerBusiness,
  "/v1/businesses/{businessId}/bank-transactions": ledgerBusiness,
  "/webhooks/rails/{rail}": rail,
};

/** Objects made up front for every business, so that lists have something of A's to leak. */
export const listSeeds: Fixture[] = [payee, payoutUser, payout, ledgerPayout];

/** Path templates that name an object but need no fixture, with the reason. */
export const exempt: Record<string, string> = {};

/**
 * Operations served without credentials, with the reason: the tenancy matrix's 401 checks skip
 * exactly these, and the coverage test fails on a public operation not listed here.
 */
export const publicRoutes: Record<string, string> = {
  "GET /health": "Liveness and configuration check for load balancers and operators; names no business.",
  "POST /webhooks/rails/{rail}":
    "Called by a payout rail, authenticated by its Standard Webhooks signature (a bad one is a 401), not by an API key; tested in test/routes/webhooks.",
};

/**
 * Operations whose path names an object by an id the client chooses in its own business's
 * namespace (PUT creates it): B's request on A's id must create B's own object (201) and leave
 * A's alone, rather than be a 404.
 */
export const clientNamedIds: Record<string, string> = {
  "PUT /api/v1/payout-requests/{id}": "Payout request ids are chosen by the client and unique per business (PUT creates).",
};

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
export const validBodies: Record<string, (made: (template: string) => Promise<Made>, s: Seeded) => Promise<unknown>> = {
  "PUT /api/v1/payees/batch": async (made) => ({ records: [{ id: (await made("/api/v1/payees/{id}")).params.id, name: "Renamed" }] }),
  "POST /v1/businesses/{businessId}/payouts/bulk": async () => [ledgerPayoutInput()],
  // The example's currency need not be the business's, and its refId is used once.
  "POST /api/v1/payouts": async (_, s) => ({ initiation: initiation(s) }),
  "POST /api/v1/payouts/batch": async (_, s) => ({ initiations: [initiation(s)] }),
  "PUT /api/v1/payout-requests/{id}": async () => payoutRequestBody,
  // A sandbox event about one of A's payouts (signed at send time, see `signers`).
  "POST /webhooks/rails/{rail}": async (made, s) => ({
    type: "payment.settled",
    timestamp: new Date().toISOString(),
    data: {
      payment_id: "sbx_fuzz",
      idempotency_key: (await made("/api/v1/payouts/{id}")).params.id,
      status: "settled",
      reason: "Paid to the creditor's account.",
      metadata: { business_id: s.business.id },
    },
  }),
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

/**
 * Operations authenticated by a signature over the exact body: the fuzz signs every other input
 * after mutating it (the others test the signature gate), so hostile bodies reach the handler.
 */
export const signers: Record<string, (body: string) => Record<string, string>> = {
  "POST /webhooks/rails/{rail}": (body) => signWebhook(localSandboxSecret, `msg_fuzz_${crypto.randomUUID()}`, new Date(), body),
};
