/**
 * Counts the subrequests of one Worker invocation against its limit: a piece of work that would go
 * over is left for another invocation instead of failing this one mid-way.
 */
export class SubrequestBudget {
  used = 0;
  constructor(readonly limit: number) {}

  take(n = 1): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  get left(): number {
    return this.limit - this.used;
  }
}

/** Runs `work` over `items` with at most `width` in flight (Workers allow 6 connections at once). */
export async function withConcurrency<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/** Subrequests per queue-consumer or cron invocation, kept for tests and logs. */
export const invocationLog: {
  kind: "submit" | "cron" | "handoff";
  messages: number;
  subrequests: number;
  maxInFlight: number;
  ms?: number;
  at?: number;
}[] = [];

export function logInvocation(entry: (typeof invocationLog)[number]): void {
  invocationLog.push(entry);
  if (invocationLog.length > 10_000) invocationLog.splice(0, invocationLog.length - 10_000);
}
