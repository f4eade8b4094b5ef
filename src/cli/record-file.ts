import { stringify } from "yaml";
import { zoneOffsetMinutes } from "../core/dates.js";

/**
 * A record file: YAML front matter written by the yaml package (so any title,
 * however many quotes, colons or "#" it has, reads back as the same string),
 * then the Markdown body.
 */
export function recordText(fields: Record<string, unknown>, body: string): string {
  // lineWidth 0: never fold long values; a folded line starting "---" would end the front matter early.
  return `---\n${stringify(fields, { lineWidth: 0 })}---\n\n${body.trim()}\n`;
}

const pad = (n: number) => String(Math.floor(n)).padStart(2, "0");

/** "2026-11-27T18:04:05+09:00": the instant as the site's clocks show it, with the zone's offset then. */
export function isoInZone(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, instant.getTime());
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? "-" : "+"}${pad(abs / 60)}:${pad(abs % 60)}`;
}
