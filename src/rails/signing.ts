import { Webhook, WebhookVerificationError } from "standardwebhooks";

/**
 * The secret of the sandbox rail when none is configured and the Worker runs locally (SQL_ENDPOINT
 * set: `npm run dev` and the tests). Production never sets SQL_ENDPOINT, so there a rail without its
 * Worker secret (`RAIL_WEBHOOK_SECRET_<RAIL>`) accepts no webhook at all.
 */
export const localSandboxSecret = "whsec_ZGlzYnVyc2UtbG9jYWwtc2FuZGJveC1yYWlsLXNlY3JldCE=";

export interface SecretEnv {
  SQL_ENDPOINT?: string;
  [name: string]: unknown;
}

/** The Standard Webhooks secret (`whsec_<base64>`) shared with this rail, or undefined. */
export function railWebhookSecret(env: SecretEnv, rail: string): string | undefined {
  const configured = env[`RAIL_WEBHOOK_SECRET_${rail.toUpperCase()}`];
  if (typeof configured === "string" && configured) return configured;
  return rail === "sandbox" && env.SQL_ENDPOINT ? localSandboxSecret : undefined;
}

export type Verified = { ok: true; body: unknown } | { ok: false; reason: string };

/**
 * Checks `webhook-signature` (v1, HMAC-SHA256 of `id.timestamp.body`) and that `webhook-timestamp`
 * is within 5 minutes of now, as the Standard Webhooks specification says.
 */
export function verifyWebhook(secret: string, payload: string, headers: Headers): Verified {
  try {
    const body = new Webhook(secret).verify(payload, {
      "webhook-id": headers.get("webhook-id") ?? "",
      "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
      "webhook-signature": headers.get("webhook-signature") ?? "",
    });
    return { ok: true, body };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, reason: err.message };
    // The body was signed correctly but is not JSON.
    if (err instanceof SyntaxError) return { ok: false, reason: "The payload is not JSON." };
    throw err;
  }
}

/** The three Standard Webhooks headers for one delivery. */
export function signWebhook(secret: string, id: string, at: Date, payload: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, payload),
  };
}
