import { zoneOffsetMinutes } from "../core/dates.js";

export { recordText } from "../core/record-writer.js";

const pad = (n: number) => String(Math.floor(n)).padStart(2, "0");

/** "2026-11-27T18:04:05+09:00": the instant as the site's clocks show it, with the zone's offset then. */
export function isoInZone(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, instant.getTime());
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? "-" : "+"}${pad(abs / 60)}:${pad(abs % 60)}`;
}
