/**
 * Dates on pages: in the site's time zone (a reader sees the dateline's
 * day), written the way the article's language writes a date. Formatted by
 * hand, not by Intl's date styles: those differ between ICU versions, and
 * every runtime must produce the same bytes. A date the record gave as a bare
 * day is shown as that day, never as "00:00".
 */
import type { SiteConfig } from "../config.js";
import { localDate, zoneOffsetMinutes } from "../dates.js";
import { escapeHtml } from "../text.js";
import { stringsFor } from "./page-strings.js";

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A `<time>`: the date as text of the language, and, unless the record gave
 * only a day, the time of day with its UTC offset in a left-to-right span (so
 * "20:20 (UTC+09:00)" reads the same inside right-to-left text).
 */
export function timeElement(date: Date, site: SiteConfig, lang: string, dayOnly = false): string {
  const offset = zoneOffsetMinutes(site.timeZone, date.getTime());
  const local = new Date(date.getTime() + offset * 60000);
  const s = stringsFor(lang);
  const day = s.date(local.getUTCDate(), s.months[local.getUTCMonth()]!, local.getUTCMonth() + 1, local.getUTCFullYear());
  if (dayOnly) return `<time datetime="${localDate(date, site.timeZone)}">${escapeHtml(day)}</time>`;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
  return `<time datetime="${date.toISOString()}">${escapeHtml(day)}${escapeHtml(s.dateTimeSeparator)}<span dir="ltr">${clock}</span></time>`;
}

/** The date as schema.org and OpenGraph take it: the bare day when that is all the record said. */
export function machineDate(date: Date, site: SiteConfig, dayOnly = false): string {
  return dayOnly ? localDate(date, site.timeZone) : date.toISOString();
}
