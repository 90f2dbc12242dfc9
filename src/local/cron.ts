/**
 * Just enough of cron for the dev runner to fire wrangler.toml's `[triggers] crons` locally:
 * five fields (minute hour day-of-month month day-of-week, UTC like Cloudflare's), each `*`, a
 * number, a range `a-b`, a list `a,b`, and steps `* /n` or `a-b/n`. Names (MON, JAN) and
 * Cloudflare's `L`/`W`/`#` extensions are refused, not guessed.
 */
const fields = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export type CronMatcher = (at: Date) => boolean;

export function parseCron(expression: string): CronMatcher {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron ${JSON.stringify(expression)}: expected 5 fields`);
  const sets = parts.map((part, i) => parseField(part, fields[i]!, expression));
  const [minutes, hours, days, months, weekdays] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  const dayRestricted = parts[2] !== "*";
  const weekdayRestricted = parts[4] !== "*";
  return (at) => {
    if (!minutes.has(at.getUTCMinutes()) || !hours.has(at.getUTCHours()) || !months.has(at.getUTCMonth() + 1)) return false;
    const day = days.has(at.getUTCDate());
    const weekday = weekdays.has(at.getUTCDay());
    // Classic cron: when both day fields are restricted, either may match.
    if (dayRestricted && weekdayRestricted) return day || weekday;
    return day && weekday;
  };
}

function parseField(part: string, field: (typeof fields)[number], expression: string): Set<number> {
  const values = new Set<number>();
  const bad = () => new Error(`cron ${JSON.stringify(expression)}: cannot read ${field.name} ${JSON.stringify(part)}`);
  for (const item of part.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw bad();
    const from = m[1] === "*" ? field.min : Number(m[2]);
    const to = m[1] === "*" ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? field.max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1) throw bad();
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/**
 * Calls `fire(cron)` at the start of every UTC minute that a cron matches, until the returned
 * function is called.
 */
export function scheduleCrons(crons: readonly string[], fire: (cron: string) => void): () => void {
  const matchers = crons.map((cron) => [cron, parseCron(cron)] as const);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const now = Date.now();
    timer = setTimeout(
      () => {
        const at = new Date(Math.round(Date.now() / 60_000) * 60_000);
        for (const [cron, matches] of matchers) if (matches(at)) fire(cron);
        arm();
      },
      60_000 - (now % 60_000),
    );
    timer.unref();
  };
  if (matchers.length) arm();
  return () => clearTimeout(timer);
}
