import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { findActiveKey, type ActiveKey } from "../services/api-keys";
import { sha256Hex } from "./digest";
import { ApiError } from "./errors";
import { limitApiKey, refuseBlockedClient } from "./rate-limit";

/**
 * API key lookups are cached per isolate so that auth adds no database round trip to most
 * requests. The price: a revoked key keeps working in an isolate that cached it for up to
 * AUTH_CACHE_TTL_SECONDS (30 s by default, 60 s at most). Unknown keys are never cached, so
 * a key works the moment it is created. Concurrent requests with the same uncached key share
 * one lookup, so a burst of requests costs one round trip, not one each.
 */
const cache = new Map<string, { key: Promise<ActiveKey | undefined>; expires: number }>();
const maxCachedKeys = 10_000;

interface Presented {
  secret: string;
  keyId?: string;
}

function credentials(header: string | undefined): { scheme: string; value: string } | undefined {
  const [scheme, value] = (header ?? "").trim().split(/\s+/, 2);
  return scheme && value ? { scheme: scheme.toLowerCase(), value } : undefined;
}

/** The token of an `Authorization: Bearer <token>` header (API keys, payout user hashes). */
export function bearerToken(header: string | undefined): string | undefined {
  const cred = credentials(header);
  return cred?.scheme === "bearer" ? cred.value : undefined;
}

/** `Bearer <secret>` or `Basic base64(<key id>:<secret>)`. */
function presentedKey(header: string | undefined): Presented | undefined {
  const cred = credentials(header);
  if (cred?.scheme === "bearer") return { secret: cred.value };
  if (cred?.scheme === "basic") {
    const { value } = cred;
    let decoded: string;
    try {
      decoded = atob(value);
    } catch {
      return undefined;
    }
    const colon = decoded.indexOf(":");
    if (colon <= 0) return undefined;
    return { keyId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  return undefined;
}

async function authenticate(c: Context<AppEnv>): Promise<ActiveKey> {
  const presented = presentedKey(c.req.header("Authorization"));
  if (!presented || !presented.secret) {
    throw new ApiError("unauthorized", "Send an API key as 'Authorization: Bearer <key>' or Basic auth.", undefined, {
      "WWW-Authenticate": 'Bearer realm="disburse", Basic realm="disburse"',
    });
  }
  const hash = await sha256Hex(presented.secret);
  const now = Date.now();
  let entry = cache.get(hash);
  const missed = !entry || entry.expires <= now;
  if (!entry || entry.expires <= now) {
    const ttl = c.var.config.AUTH_CACHE_TTL_SECONDS * 1000;
    const key = findActiveKey(c.var.db, hash);
    entry = { key, expires: now + ttl };
    if (cache.size >= maxCachedKeys) cache.delete(cache.keys().next().value!);
    cache.set(hash, entry);
    // Only a found key stays cached; a miss or a failed lookup is asked again next time.
    const forget = () => cache.get(hash) === entry && cache.delete(hash);
    key.then((found) => (found && ttl > 0 ? undefined : forget()), forget);
  }
  // A lookup is a guess worth refusing to a client blocked for failed authentications.
  const [active] = await Promise.all([entry.key, missed ? refuseBlockedClient(c) : undefined]);
  if (!active || (presented.keyId !== undefined && presented.keyId !== active.keyId)) {
    throw new ApiError("unauthorized", "The API key is unknown or has been revoked.");
  }
  return active;
}

/** Authenticates the caller and requires one scope; a missing scope is a 403. */
export function requireScope(scope: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    let key = c.var.auth;
    if (!key) {
      key = await authenticate(c);
      c.set("auth", key);
      await limitApiKey(c, key);
    }
    if (!key.scopes.includes(scope)) {
      throw new ApiError("insufficient_scope", `This API key lacks the '${scope}' scope.`);
    }
    await next();
  });
}

/** For tests: forget every cached key. */
export function clearAuthCache(): void {
  cache.clear();
}
