import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { bearerToken } from "../../http/auth";
import { ApiError } from "../../http/errors";
import { sha256Hex } from "../../lib/digest";
import { sameHash, userHash } from "../../services/payout-users/hash";
import { findPayoutUserByHashDigest, type PayoutUserRow } from "../../services/payout-users/queries";

/** What the self-view handler sees behind `requirePayoutUser`. */
export type PayoutUserEnv = AppEnv & { Variables: { payoutUser: PayoutUserRow & { businessId: string } } };

const unauthorized = (message: string) =>
  new ApiError("unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="disburse-payout-user"' });

/**
 * The payout user whose hash is the Bearer token, before anything else about the request is
 * looked at (a bad query without a hash is a 401, as on every other route).
 */
export const requirePayoutUser = createMiddleware<PayoutUserEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  const presented = bearerToken(header);
  if (!presented) {
    throw unauthorized(
      header === undefined
        ? "Send the payout user's hash as 'Authorization: Bearer <hash>'."
        : "The Authorization header must be exactly 'Bearer <hash>'.",
    );
  }
  if (!/^[0-9a-f]{64}$/.test(presented)) throw unauthorized("A payout user hash is 64 lowercase hexadecimal characters.");

  const user = await findPayoutUserByHashDigest(c.var.db, await sha256Hex(presented));
  // The digest only finds a candidate; the hash itself is re-derived and compared in constant time.
  if (!user || !sameHash(presented, await userHash(c.var.config.PAYOUT_HASH_SECRET, user.id))) {
    throw unauthorized("No payout user has this hash.");
  }
  c.set("payoutUser", user);
  await next();
});
