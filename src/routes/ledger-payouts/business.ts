import type { Context } from "hono";
import type { AuthedEnv } from "../../http/auth";
import { ApiError } from "../../http/errors";

/**
 * The `{businessId}` of the path must be the key's own business. Any other (existing or not)
 * is a 404, so a key cannot even learn which business ids exist.
 */
export function ownBusiness(c: Context<AuthedEnv>, businessId: string): string {
  const own = c.var.auth.businessId;
  if (businessId !== own) throw new ApiError("not_found", `No business with id "${businessId}".`);
  return own;
}
