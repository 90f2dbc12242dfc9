import { leases } from "../ratelimit/client";
import type { LocalRoute } from "./local-routes";

/** The path that restarts a Durable Object locally (see `restartObject`). */
export const localRestartPath = "/__local/restart";

/**
 * `POST /__local/restart?ledger=<business id>` (or `?limiter=<subject>`, e.g. `key:<key id>`), local
 * runs only (`withLocalRoutes`): resets that Durable Object as a crash or a deploy would: its memory
 * is gone, calls in flight fail, and the next call gets a fresh object that loads its state again.
 * There is no other way to restart one object of a running local Worker, and the bank check
 * (test/bench/bank.ts) needs restarts in the middle of money moving.
 */
export const restartObject: LocalRoute<unknown> = async (request, url, env) => {
  if (request.method !== "POST") return new Response("POST only", { status: 405, headers: { Allow: "POST" } });
  const ledger = url.searchParams.get("ledger");
  const limiter = url.searchParams.get("limiter");
  const stub = ledger
    ? env.BALANCE_LEDGER.get(env.BALANCE_LEDGER.idFromName(ledger))
    : limiter && env.RATE_LIMITER
      ? env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(limiter))
      : undefined;
  if (!stub) return new Response("name the object: ?ledger=<business id> or ?limiter=<subject>", { status: 400 });
  // As a deploy would, which restarts the Worker's isolates too: this isolate's lease of the
  // subject goes with the object (a lease is memory of the same limiter).
  if (limiter) leases.forget(limiter);
  try {
    await stub.restart();
  } catch {
    // The reset fails the very call that asked for it: that is the restart having happened.
  }
  return new Response("restarted");
};
