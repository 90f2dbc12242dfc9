import type { Env } from "../env";

/** The BalanceLedger of one business: the only way the Worker changes a balance. */
export function ledgerFor(env: Env, businessId: string) {
  return env.BALANCE_LEDGER.get(env.BALANCE_LEDGER.idFromName(businessId));
}
