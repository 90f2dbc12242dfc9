import type { PayoutStatus } from "../../../schema/payouts";
import { isStorable } from "../../http/validation";
import { supportedInstruments } from "../capabilities";
import type { PayoutRail, RailEvent, RailSubmission, SubmitResult } from "../types";
import type { SandboxStatus } from "./magic";
import type { SandboxRailEnv } from "./server";

const statusMap: Record<SandboxStatus, PayoutStatus> = {
  processing: "INITIATION_PROCESSING",
  settled: "INITIATION_COMPLETED",
  rejected: "INITIATION_REJECTED",
  failed: "INITIATION_FAILED",
};

export interface SandboxClientEnv extends Partial<SandboxRailEnv> {
  /** The sandbox rail Worker's base URL; unset: the SandboxRail objects bound in this Worker. */
  SANDBOX_RAIL_URL?: string;
}

/**
 * Disburse's side of the sandbox rail: submissions go over HTTP, either to the standalone rail
 * Worker at SANDBOX_RAIL_URL or to the rail's own Durable Object (each payment's object, addressed
 * by the idempotency key as the rail's front door would), never as a function call.
 */
export function sandboxRail(env: SandboxClientEnv): PayoutRail {
  const send = (key: string, init: RequestInit): Promise<Response> => {
    if (env.SANDBOX_RAIL_URL) return fetch(new URL("/v1/payments", env.SANDBOX_RAIL_URL), init);
    if (!env.SANDBOX_RAIL) throw new Error("neither SANDBOX_RAIL_URL nor the SANDBOX_RAIL binding is configured");
    return env.SANDBOX_RAIL.get(env.SANDBOX_RAIL.idFromName(key)).fetch("http://sandbox-rail.internal/v1/payments", init);
  };

  return {
    name: "sandbox",
    instruments: supportedInstruments.sandbox,

    async submit(s: RailSubmission, signal: AbortSignal): Promise<SubmitResult> {
      let res: Response;
      try {
        res = await send(s.payoutId, {
          method: "POST",
          signal,
          headers: { "Content-Type": "application/json", "Idempotency-Key": s.payoutId },
          body: JSON.stringify({
            amount: s.amount,
            currency: s.currency,
            local_instrument: s.localInstrument,
            creditor: s.creditor,
            reference: s.refId,
            remittance: s.remittanceInformationPrimary,
            metadata: { business_id: s.businessId },
          }),
        });
      } catch (err) {
        if (signal.aborted) return { kind: "unavailable", status: 504, reason: "The rail did not answer in time." };
        return { kind: "unavailable", status: 503, reason: `The rail could not be reached: ${String(err)}` };
      }
      const text = await res.text();
      if (res.status === 200 || res.status === 202) {
        const id = (JSON.parse(text) as { id?: string }).id ?? "";
        return { kind: "accepted", railPaymentId: id };
      }
      if (res.status >= 500 || res.status === 429) {
        return { kind: "unavailable", status: res.status === 504 ? 504 : 503, reason: `The rail answered ${res.status}.` };
      }
      return { kind: "refused", reason: `The rail refused the submission (${res.status}): ${text.slice(0, 200)}` };
    },

    parseEvent(body: unknown): RailEvent | undefined {
      const data = (body as { data?: Record<string, unknown> } | null)?.data;
      if (!data || typeof data !== "object") return undefined;
      const {
        idempotency_key: payoutId,
        status,
        reason,
        metadata,
      } = data as {
        idempotency_key?: unknown;
        status?: unknown;
        reason?: unknown;
        metadata?: { business_id?: unknown };
      };
      const businessId = metadata?.business_id;
      if (typeof payoutId !== "string" || typeof status !== "string" || typeof businessId !== "string") return undefined;
      // Text the database cannot store (NUL, unpaired surrogates) makes a bad event, not a failed write.
      if (![payoutId, status, businessId].every(isStorable) || (typeof reason === "string" && !isStorable(reason))) return undefined;
      // No id or status word of ours is this long; a longer one is a bad event, not a failed write.
      if ([payoutId, status, businessId].some((s) => s.length > 255) || (typeof reason === "string" && reason.length > 4000))
        return undefined;
      return {
        payoutId,
        businessId,
        railStatus: status,
        // Own properties only: a status word like "__proto__" or "toString" is just an unknown one.
        status: Object.hasOwn(statusMap, status) ? statusMap[status as SandboxStatus] : undefined,
        reason: typeof reason === "string" ? reason : null,
      };
    },
  };
}
