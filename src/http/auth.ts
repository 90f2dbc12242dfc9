import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { auth as basicCredentials } from "hono/utils/basic-auth";
import type { AppEnv } from "../app-env";
import { sha256Hex } from "../lib/digest";
import { type ActiveKey, findActiveKey } from "../services/api-keys";
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

/** What handlers behind `requireScope` see: the key is always there. */
export type AuthedEnv = AppEnv & { Variables: { auth: ActiveKey } };

type Presented = { secret: string; keyId?: string } | { malformed: string } | undefined;

// RFC 6750's b64token: one token after the scheme, nothing after it.
const bearerPattern = /^ *[Bb][Ee][Aa][Rr][Ee][Rr] +([A-Za-z0-9\-._~+/]+=*) *$/;
const basicScheme = /^ *[Bb][Aa][Ss][Ii][Cc](?: |$)/;
const bearerScheme = /^ *[Bb][Ee][Aa][Rr][Ee][Rr](?: |$)/;

/**
 * The token of an `Authorization: Bearer <token>` header (API keys, payout user hashes);
 * undefined unless the header is exactly that.
 */
export function bearerToken(header: string | undefined): string | undefined {
  return bearerPattern.exec(header ?? "")?.[1];
}

/** `Bearer <secret>` or `Basic base64(<key id>:<secret>)` (parsed by hono's Basic-auth helper). */
function presentedKey(c: Context): Presented {
  const header = c.req.header("Authorization");
  if (header === undefined || header.trim() === "") return undefined;
  if (bearerScheme.test(header)) {
    const secret = bearerToken(header);
    return secret ? { secret } : { malformed: "The Authorization header must be 'Bearer <key>', with nothing after the key." };
  }
  if (basicScheme.test(header)) {
    const basic = basicCredentials(c.req.raw);
    if (!basic || !basic.username || !basic.password) {
      return { malformed: "The Basic credentials do not parse: send base64 of '<key id>:<secret>'." };
    }
    return { keyId: basic.username, secret: basic.password };
  }
  return { malformed: "Unsupported Authorization scheme: send 'Bearer <key>' or Basic auth." };
}

const challenge = { "WWW-Authenticate": 'Bearer realm="disburse", Basic realm="disburse"' };

async function authenticate(c: Context<AuthedEnv>): Promise<ActiveKey> {
  const presented = presentedKey(c);
  if (!presented) {
    throw new ApiError("unauthorized", "Send an API key as 'Authorization: Bearer <key>' or Basic auth.", undefined, challenge);
  }
  if ("malformed" in presented) throw new ApiError("unauthorized", presented.malformed, undefined, challenge);
  const hash = await sha256Hex(presented.secret);
  const now = Date.now();
  let entry = cache.get(hash);
  const missed = !entry || entry.expires <= now;
  if (!entry || entry.expires <= now) {
    const ttl = c.var.config.AUTH_CACHE_TTL_SECONDS * 1000;
    const key = findActiveKey(c.var.db, hash);
    outliveRequest(c, key);
    entry = { key, expires: now + ttl };
    const oldest = cache.keys().next();
    if (cache.size >= maxCachedKeys && !oldest.done) cache.delete(oldest.value);
    cache.set(hash, entry);
    // Only a found key stays cached; a miss or a failed lookup is asked again next time.
    const forget = () => cache.get(hash) === entry && cache.delete(hash);
    key.then((found) => (found && ttl > 0 ? undefined : forget()), forget);
  }
  // A lookup is a guess worth refusing to a client blocked for failed authentications.
  const [active] = await Promise.all([entry.key, missed ? refuseBlockedClient(c) : undefined]);
  if (!active || (presented.keyId !== undefined && presented.keyId !== active.keyId)) {
    throw new ApiError("unauthorized", "The API key is unknown or has been revoked.", undefined, challenge);
  }
  return active;
}

/**
 * A shared lookup belongs to the request that started it, and the runtime cancels a request's
 * unfinished I/O when it ends: refused early (a blocked client), or its client gone. The lookup
 * would then never settle, and every request waiting on it would wait until the cache entry
 * expired. waitUntil lets it finish whatever happens to its request (for up to 30 s after it, the
 * runtime's limit: a lookup stuck longer than that still holds the key's requests until the entry
 * expires, at most AUTH_CACHE_TTL_SECONDS).
 */
function outliveRequest(c: Context, lookup: Promise<unknown>): void {
  let ctx: Context["executionCtx"];
  try {
    ctx = c.executionCtx;
  } catch {
    return; // No ExecutionContext (hono's app.request in a test): nothing cancels the lookup.
  }
  ctx.waitUntil(lookup.catch(() => undefined));
}

/**
 * Authenticates the caller and requires one scope; a missing scope is a 403. Typed so that
 * the handlers behind it see `c.var.auth` as set.
 */
export function requireScope(scope: string): MiddlewareHandler<AuthedEnv> {
  return createMiddleware<AuthedEnv>(async (c, next) => {
    const key = c.get("auth") ?? (await authenticate(c));
    if (!c.get("auth")) {
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
