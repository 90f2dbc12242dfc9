export interface FaultRule {
  remaining: number;
  match?: RegExp;
}

/**
 * Test-only failure injection for POST /sql: the next `count` requests whose query text
 * (any query of a batch) matches `match` fail as if the connection dropped. Rules are
 * consumed in the order they were added.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(count: number, match?: RegExp): void {
    this.rules.push(match ? { remaining: count, match } : { remaining: count });
  }

  /** True when this request must fail; consumes one use of the first matching rule. */
  take(queries: readonly string[]): boolean {
    const rule = this.rules.find((r) => r.match === undefined || queries.some((q) => r.match?.test(q)));
    if (!rule) return false;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return true;
  }

  pending(): { remaining: number; match: string | null }[] {
    return this.rules.map((r) => ({ remaining: r.remaining, match: r.match?.source ?? null }));
  }

  clear(): void {
    this.rules = [];
  }
}
