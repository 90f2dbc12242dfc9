import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/local/cron";

const at = (iso: string) => new Date(iso);

describe("the dev runner's cron matcher", () => {
  it("matches minutes, hours, steps, ranges and lists in UTC", () => {
    expect(parseCron("* * * * *")(at("2026-01-01T10:07:00Z"))).toBe(true);
    const every5 = parseCron("*/5 * * * *");
    expect(every5(at("2026-01-01T10:05:00Z"))).toBe(true);
    expect(every5(at("2026-01-01T10:07:00Z"))).toBe(false);
    const office = parseCron("0 9-17/4 * * 1-5");
    expect(office(at("2026-11-23T13:00:00Z"))).toBe(true); // Monday 13:00
    expect(office(at("2026-11-23T14:00:00Z"))).toBe(false);
    expect(office(at("2026-11-22T13:00:00Z"))).toBe(false); // Sunday
    expect(parseCron("30 2 1,15 * *")(at("2026-03-15T02:30:00Z"))).toBe(true);
    expect(parseCron("0 0 * * 7")(at("2026-11-22T00:00:00Z"))).toBe(true); // 7 is Sunday too
  });

  it("matches either day field when both are restricted, as cron does", () => {
    const firstOrMonday = parseCron("0 0 1 * 1");
    expect(firstOrMonday(at("2026-11-23T00:00:00Z"))).toBe(true); // a Monday
    expect(firstOrMonday(at("2026-12-01T00:00:00Z"))).toBe(true); // the 1st, a Tuesday
    expect(firstOrMonday(at("2026-12-02T00:00:00Z"))).toBe(false);
  });

  it.each(["* * * *", "60 * * * *", "* * * JAN *", "5-1 * * * *", "*/0 * * * *", "0 0 L * *"])("refuses %j", (cron) => {
    expect(() => parseCron(cron)).toThrow(/cron/);
  });
});
