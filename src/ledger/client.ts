import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { logError } from "../lib/log-error";
import type { AllocationOutcome, AllocationRequest, FundOutcome, PayoutInitiationRequest, PayoutOutcome } from "./types";

/**
 * The BalanceLedger of one business: the only way the Worker changes a balance. A call that
 * fails on the way (the object was reset or moved) is a retryable 503, never a 500: the
 * ledger writes all or nothing, and a retry with the same Idempotency-Key replays.
 */
export function ledgerFor(env: Env, businessId: string) {
  const stub = env.BALANCE_LEDGER.get(env.BALANCE_LEDGER.idFromName(businessId));
  const guarded = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      logError(`ledger call for ${businessId} failed`, err);
      throw new ApiError("service_unavailable", "The balance ledger is unavailable; retry the request.");
    }
  };
  return {
    allocate: (request: AllocationRequest) => guarded<AllocationOutcome>(() => stub.allocate(businessId, request)),
    /** One outcome per initiation, in order; see BalanceLedger.initiate. */
    initiate: (requests: PayoutInitiationRequest[]) => guarded<PayoutOutcome[]>(() => stub.initiate(businessId, requests)),
    fund: (amount: number, idempotencyKey?: string) => guarded<FundOutcome>(() => stub.fund(businessId, amount, idempotencyKey)),
  };
}
