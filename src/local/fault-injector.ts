export interface FaultRule {
  remaining: number;
  match?: RegExp;
  /** Only requests carrying this round-trip tag (e.g. `ledger:<business id>`). */
  tag?: string;
  /**
   * "before": the request fails and nothing of it is committed (a batch runs half, then rolls back).
   * "after": the request commits, then its answer is lost, as when a connection drops on the way back.
   * "slow": the request waits `delayMs`, then runs and is answered as usual (a slow query, a congested link).
   */
  phase: "before" | "after" | "slow";
  delayMs?: number;
}

/**
 * Test-only failure injection for POST /sql: the next `count` requests whose query text
 * followed by its parameters as JSON (any query of a batch) matches `match`, and whose tag is
 * `tag`, fail as if the connection dropped, or answer late. Rules are consumed in the order they
 * were added.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push(rule);
  }

  /** The rule this request must fail by, if any; consumes one use of it. */
  take(queries: () => readonly string[], tag: string | undefined): FaultRule | undefined {
    // Built only when a rule could match: the texts cost a JSON.stringify per query.
    let texts: readonly string[] | undefined;
    const rule = this.rules.find(
      (r) => (r.tag === undefined || r.tag === tag) && (r.match === undefined || (texts ??= queries()).some((q) => r.match?.test(q))),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule;
  }

  pending(): { remaining: number; match: string | null; tag: string | null; phase: string; delayMs?: number }[] {
    return this.rules.map((r) => ({
      remaining: r.remaining,
      match: r.match?.source ?? null,
      tag: r.tag ?? null,
      phase: r.phase,
      ...(r.delayMs === undefined ? {} : { delayMs: r.delayMs }),
    }));
  }

  clear(): void {
    this.rules = [];
  }
}
