import type { SiteConfig } from "../core/config.js";
import { zoneOffsetMinutes } from "../core/dates.js";
import { parseRecord } from "../core/record.js";
import type { WritableRecordStore } from "../storage/store.js";
import type { CliIo } from "./io.js";

export { recordText } from "../core/record-writer.js";

const pad = (n: number) => String(Math.floor(n)).padStart(2, "0");

/** "2026-11-27T18:04:05+09:00": the instant as the site's clocks show it, with the zone's offset then. */
export function isoInZone(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, instant.getTime());
  const wall = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${wall}${offset < 0 ? "-" : "+"}${pad(abs / 60)}:${pad(abs % 60)}`;
}

/**
 * Writes a record the CLI made, only if it passes `wirefeed validate`: its
 * bytes are checked before anything touches the folder. False (and every problem
 * printed) when it does not.
 */
export async function writeValidRecord(io: CliIo, store: WritableRecordStore, name: string, label: string, text: string, site: SiteConfig): Promise<boolean> {
  // The bytes that will be written, so the size limit is checked too.
  const bytes = new TextEncoder().encode(text);
  const check = parseRecord(label, bytes, site);
  if (!check.ok) {
    for (const error of check.errors) io.err(error.message);
    return false;
  }
  await store.write(name, bytes);
  return true;
}
