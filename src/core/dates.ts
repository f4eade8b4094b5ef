/**
 * ISO 8601 date-times as article records carry them. Strict on purpose: a
 * typo in a date must be an error, not a silently shifted article.
 */
import { quoteForMessage } from "./text.js";

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The years a record's dates may fall in, as instants in UTC and as calendar
 * dates in the site's time zone. Below: no wire story is that old, and
 * Date.UTC would read a two-digit year such as 0022 as 1922. Above: RSS,
 * Atom and tag: ids all write four-digit years; 10000 is "+010000".
 */
export const YEARS = { min: 1900, max: 9999 } as const;

/** Date.UTC, but years 0–99 stay those years (Date.UTC maps them to 1900–1999). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, mo, d, h, mi, s, ms));
  date.setUTCFullYear(y, mo, d);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

function validDay(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Offset in minutes of `timeZone` at the given UTC instant, from Intl (no
 * clock, no node:*), so a bare date means local midnight in the site's zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs far more than using one: one per zone, reused. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const HOUR_MS = 3_600_000;
/** Per zone: UTC hour → the zone's offset throughout that hour (only hours whose first and last instant agree). */
const offsetsByHour = new Map<string, Map<number, number>>();
/** Hours remembered per zone before the memo starts over: a few MB at most. */
const MAX_HOURS = 100_000;

/**
 * Offset in minutes of `timeZone` at `utcMillis`. formatToParts costs tens of
 * microseconds, and parsing a record asks several times, so the answer is
 * kept per UTC hour when the offset at the hour's first and last instant is
 * the same (no zone changes its offset twice within an hour); an hour with a
 * change in it is worked out for each instant.
 */
export function zoneOffsetMinutes(timeZone: string, utcMillis: number): number {
  const hour = Math.floor(utcMillis / HOUR_MS);
  let hours = offsetsByHour.get(timeZone);
  const known = hours?.get(hour);
  if (known !== undefined) return known;
  const start = exactOffsetMinutes(timeZone, hour * HOUR_MS);
  if (start !== exactOffsetMinutes(timeZone, hour * HOUR_MS + HOUR_MS - 1)) return exactOffsetMinutes(timeZone, utcMillis);
  if (!hours || hours.size >= MAX_HOURS) offsetsByHour.set(timeZone, (hours = new Map()));
  hours.set(hour, start);
  return start;
}

function exactOffsetMinutes(timeZone: string, utcMillis: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMillis));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - utcMillis) / 60000);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock time in `timeZone` → UTC millis (exact for every zone, DST included). */
function localToUtc(timeZone: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  const wall = utc(y, mo - 1, d, h, mi);
  let guess = wall - zoneOffsetMinutes(timeZone, wall) * 60000;
  // A second pass settles instants next to an offset change.
  guess = wall - zoneOffsetMinutes(timeZone, guess) * 60000;
  return guess;
}

/**
 * Returns a Date, or a message saying what is wrong with the text. The date
 * must fall in YEARS both in UTC (after applying its offset) and as the
 * site's zone sees it (the calendar date in the tag: id).
 */
export function parseRecordDate(text: string, timeZone: string): Date | string {
  const parsed = parseDateText(text, timeZone);
  if (typeof parsed === "string") return parsed;
  const outside = (year: number) => year < YEARS.min || year > YEARS.max;
  const utcYear = parsed.getUTCFullYear();
  if (outside(utcYear)) return `${quoteForMessage(text)} is in the year ${utcYear} in UTC: years must be ${YEARS.min}–${YEARS.max}`;
  const local = localDate(parsed, timeZone);
  const localYear = Number(local.slice(0, local.indexOf("-", 1)));
  if (outside(localYear)) {
    return `${quoteForMessage(text)} is in the year ${localYear} in the site's time zone (${timeZone}): years must be ${YEARS.min}–${YEARS.max}`;
  }
  return parsed;
}

function parseDateText(text: string, timeZone: string): Date | string {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    const [y, m, d] = dateOnly.slice(1, 4).map(Number) as [number, number, number];
    if (!validDay(y, m, d)) return `${quoteForMessage(text)} is not a calendar date`;
    if (y < YEARS.min) return `${quoteForMessage(text)} is in the year ${y}: years must be ${YEARS.min}–${YEARS.max}`;
    return new Date(localToUtc(timeZone, y, m, d));
  }
  const match = DATE_TIME.exec(text);
  if (!match) {
    return `${quoteForMessage(text)} is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)`;
  }
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = match[6] ? Number(match[6]) : 0;
  if (!validDay(y, mo, d) || h > 23 || mi > 59 || s > 59) return `${quoteForMessage(text)} is not a valid date-time`;
  if (y < YEARS.min) return `${quoteForMessage(text)} is in the year ${y}: years must be ${YEARS.min}–${YEARS.max}`;
  const zone = match[8]!;
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return `${quoteForMessage(text)} has an invalid UTC offset`;
    offset = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const millis = match[7] ? Math.floor(Number(`0.${match[7]}`) * 1000) : 0;
  return new Date(utc(y, mo - 1, d, h, mi, s, millis) - offset * 60000);
}

/** Whether a record's date text is a bare calendar date (2022-06-29): a day, with no time of day given. */
export function isDateOnly(text: string): boolean {
  return DATE_ONLY.test(text.trim());
}

/** The calendar date (YYYY-MM-DD) of an instant as seen in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  const local = new Date(date.getTime() + zoneOffsetMinutes(timeZone, date.getTime()) * 60000);
  return local.toISOString().slice(0, 10);
}

