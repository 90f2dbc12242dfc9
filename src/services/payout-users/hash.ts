import { toHex } from "../../lib/digest";

/**
 * A payout user's `hash` is HMAC-SHA256(PAYOUT_HASH_SECRET, user id): 256 bits nobody can
 * guess without the secret, unique per user, and recomputable, so it is never stored. The
 * database keeps only its SHA-256 (`hash_digest`) to find the user a hash belongs to.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

export async function userHash(secret: string, userId: string): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(userId)));
}

/** Constant-time comparison (workerd's crypto.subtle.timingSafeEqual), for equal-length strings. */
export function sameHash(a: string, b: string): boolean {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  return ea.byteLength === eb.byteLength && crypto.subtle.timingSafeEqual(ea, eb);
}
