import { type SandboxClientEnv, sandboxRail } from "./sandbox/rail";
import type { PayoutRail } from "./types";

export type RailEnv = SandboxClientEnv;

const rails: Record<string, (env: RailEnv) => PayoutRail> = {
  sandbox: sandboxRail,
};

/** The rail a payout was sent through (its `rail` column), or undefined for a name we do not know. */
export function payoutRail(name: string, env: RailEnv): PayoutRail | undefined {
  return Object.hasOwn(rails, name) ? rails[name]!(env) : undefined;
}

export type { PayoutRail, RailEvent, RailSubmission, SubmitResult } from "./types";
