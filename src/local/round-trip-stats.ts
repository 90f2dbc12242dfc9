export interface RoundTrips {
  requests: number;
  statements: number;
}

/**
 * Counts SQL round trips globally and per tag (one tag per API request), so tests and benches
 * can assert how many trips to the database a request costs. Tags are bounded: the oldest
 * is forgotten first, so a long-running dev server does not grow without limit.
 */
export class RoundTripStats {
  private global: RoundTrips = { requests: 0, statements: 0 };
  private readonly tags = new Map<string, RoundTrips>();

  constructor(private readonly maxTags = 10_000) {}

  record(statements: number, tag?: string): void {
    this.global.requests += 1;
    this.global.statements += statements;
    if (tag === undefined) return;
    let counts = this.tags.get(tag);
    if (!counts) {
      counts = { requests: 0, statements: 0 };
      this.tags.set(tag, counts);
      // Map iterates in insertion order, so the first key is the oldest tag.
      if (this.tags.size > this.maxTags) this.tags.delete(this.tags.keys().next().value as string);
    }
    counts.requests += 1;
    counts.statements += statements;
  }

  get(tag?: string): RoundTrips {
    const counts = tag === undefined ? this.global : (this.tags.get(tag) ?? { requests: 0, statements: 0 });
    return { ...counts };
  }

  reset(): void {
    this.global = { requests: 0, statements: 0 };
    this.tags.clear();
  }
}
