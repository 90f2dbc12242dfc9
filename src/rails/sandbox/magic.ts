/**
 * The sandbox rail's outcomes, chosen by the creditor's name as Stripe's test mode chooses by card
 * number. Each step is one status event the rail sends; a step with `again` is delivered twice with
 * the same webhook-id (a rail retrying a delivery it thinks was lost).
 */
export type SandboxStatus = "processing" | "settled" | "rejected" | "failed";

export interface SandboxStep {
  status: SandboxStatus;
  reason: string | null;
  again?: boolean;
}

export const magicNames = {
  reject: "Sandbox Reject",
  fail: "Sandbox Fail",
  timeout: "Sandbox Timeout",
  duplicate: "Sandbox Duplicate",
  reorder: "Sandbox Reorder",
  hold: "Sandbox Hold",
} as const;

const processing: SandboxStep = { status: "processing", reason: "Accepted by the sandbox rail and being processed." };
const settled: SandboxStep = { status: "settled", reason: "Paid to the creditor's account." };

/** The events the rail will send for this creditor, in order; undefined: it never answers at all. */
export function sandboxScript(creditorName: string): SandboxStep[] | undefined {
  switch (creditorName.trim()) {
    case magicNames.reject:
      return [{ status: "rejected", reason: "The creditor account was rejected by the sandbox rail (Sandbox Reject)." }];
    case magicNames.fail:
      return [processing, { status: "failed", reason: "The payment failed after processing at the sandbox rail (Sandbox Fail)." }];
    case magicNames.timeout:
      return undefined;
    case magicNames.duplicate:
      return [
        { ...processing, again: true },
        { ...settled, again: true },
      ];
    case magicNames.reorder:
      return [settled, processing];
    case magicNames.hold:
      // Accepted, then never a word: the payout stays INITIATION_PENDING (submitted).
      return [];
    default:
      return [processing, settled];
  }
}
