import type { Env } from "../../env";
import type { SettleResult, StatusEvent } from "./settle";

/**
 * The business's BalanceLedger applies status events, so that a give-back and the object's view of
 * the balance stay in step. Throws when the object cannot be reached (the caller answers 503, and a
 * rail, a queue or a cron retries).
 */
export function settleThroughLedger(env: Env, businessId: string, event: StatusEvent): Promise<SettleResult> {
  const stub = env.BALANCE_LEDGER.get(env.BALANCE_LEDGER.idFromName(businessId));
  return stub.settle(businessId, event) as Promise<SettleResult>;
}
