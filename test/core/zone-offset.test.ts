import { describe, expect, it } from "vitest";
import { zoneOffsetMinutes } from "../../src/core/dates.js";

/** The offset straight from Intl at one instant, as dates.ts worked it out before it kept answers per hour. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlOffset(timeZone: string, utcMillis: number): number {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  })));
  const parts = format.formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round((Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - utcMillis) / 60000);
}

describe("zoneOffsetMinutes (kept per hour)", () => {
  // Zones that change on the UTC hour, at half past one (St John's, Adelaide: the change falls inside a UTC hour), by 30 minutes (Lord Howe), and never.
  const zones = ["America/New_York", "Europe/London", "America/St_Johns", "Australia/Adelaide", "Australia/Lord_Howe", "Asia/Tokyo"];
  // Every 37 minutes (so every minute of the hour comes round) through the months of 2024 in which these zones change their offset, in one pass and then again (from the memo).
  const months = [2, 3, 9, 10];
  const instants: number[] = [];
  for (const m of months) for (let t = Date.UTC(2024, m, 1); t < Date.UTC(2024, m + 1, 1); t += 37 * 60_000) instants.push(t);

  it("agrees with Intl at every instant around every offset change, before and after it is remembered", () => {
    for (const zone of zones) {
      const want = instants.map((t) => intlOffset(zone, t));
      const firstPass = instants.map((t) => zoneOffsetMinutes(zone, t));
      const secondPass = instants.map((t) => zoneOffsetMinutes(zone, t));
      expect(firstPass, zone).toEqual(want);
      expect(secondPass, zone).toEqual(want);
    }
  });

  it("gives the instant's own offset on either side of a change within one hour", () => {
    // St John's, 2024-03-10 05:30 UTC (02:00 NST): -210 before, -150 after, in the same UTC hour, asked in either order.
    const mid = Date.UTC(2024, 2, 10, 5, 30);
    expect(zoneOffsetMinutes("America/St_Johns", mid + 60_000)).toBe(-150);
    expect(zoneOffsetMinutes("America/St_Johns", mid - 60_000)).toBe(-210);
    expect(zoneOffsetMinutes("America/St_Johns", mid + 60_000)).toBe(-150);
    // New York, 2024-03-10 07:00 UTC: -300 before, -240 from then on.
    const change = Date.UTC(2024, 2, 10, 7);
    expect(zoneOffsetMinutes("America/New_York", change - 1)).toBe(-300);
    expect(zoneOffsetMinutes("America/New_York", change)).toBe(-240);
    // Lord Howe, 2024-04-06 15:00 UTC: +11:00 to +10:30.
    const howe = Date.UTC(2024, 3, 6, 15);
    expect(zoneOffsetMinutes("Australia/Lord_Howe", howe - 60_000)).toBe(660);
    expect(zoneOffsetMinutes("Australia/Lord_Howe", howe + 60_000)).toBe(630);
  });
});
