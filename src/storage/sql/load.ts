/** A records folder into a SQL store (`db load`) and back out as files (`db dump`). */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { serialiseStamps } from "../../core/change-stamps.js";
import type { SiteConfig } from "../../core/config.js";
import { serialiseTombstones } from "../../core/tombstone.js";
import { writeFileAtomic } from "../atomic-file.js";
import { directoryStore } from "../fs-dir.js";
import { readStamps, recordDigest, STAMPS_FILE } from "../stamps-file.js";
import { readTombstonesFile, TOMBSTONES_FILE } from "../tombstone-file.js";
import type { SqlDriver } from "./driver.js";
import { replaceContents, storedStamps, type DeriveResult, type StoredRecord } from "./derive.js";
import { tombstoneOfRow } from "./rows.js";

/**
 * Loads a folder as the whole contents of the database, in one transaction
 * (on libsql streamed: each record read, parsed and written before the next,
 * so memory holds the names, the withdrawals and stamps files, not the records):
 * every record parsed as `validate` parses it (the same messages, the
 * duplicate-id rule included), the valid ones and drafts stored, the rest
 * reported in `errors`; the folder's withdrawals (.tombstones.json) and
 * change stamps (.changes.json) come along, so Last-Modified and 410s are
 * what the file-based server answers for the same folder.
 */
export async function loadFolder(
  driver: SqlDriver,
  site: SiteConfig,
  dir: string,
  options: { label: string; now: Date; log: (message: string) => void },
): Promise<DeriveResult & { problems: string[] }> {
  const store = directoryStore(dir, options.label);
  // Read one at a time, in name order (as the server reads a folder), as the load takes them: only the names are held.
  const names = (await store.list()).sort();
  async function* records(): AsyncIterable<StoredRecord> {
    for (const name of names) {
      const bytes = await store.read(name);
      if (bytes) yield { name, bytes, sha: recordDigest(bytes) };
    }
  }
  const problems: string[] = [];
  const { tombstones, problem } = await readTombstonesFile(dir, options.label);
  if (problem) problems.push(problem);
  const previous = await readStamps(dir, (m) => problems.push(m));
  const result = await replaceContents(driver, site, { records: records(), tombstones, previous, now: options.now, label: (name) => store.describe(name) });
  return { ...result, problems };
}

/**
 * Writes every stored record back to `dir` as a file, byte for byte, with
 * the withdrawals and change stamps beside them (.tombstones.json,
 * .changes.json): `db load` of the folder gives the same database back.
 */
export async function dumpDatabase(driver: SqlDriver, dir: string): Promise<{ records: number; tombstones: number }> {
  await mkdir(dir, { recursive: true });
  const rows = await driver.all({ sql: "SELECT name, bytes FROM records ORDER BY name" });
  for (const row of rows) await writeFileAtomic(join(dir, row.name as string), row.bytes as Uint8Array);
  const tombstones = (await driver.all({ sql: "SELECT tombstone FROM tombstones" })).map(tombstoneOfRow);
  if (tombstones.length) await writeFileAtomic(join(dir, TOMBSTONES_FILE), new TextEncoder().encode(serialiseTombstones(tombstones)));
  await writeFileAtomic(join(dir, STAMPS_FILE), new TextEncoder().encode(serialiseStamps(await storedStamps(driver))));
  return { records: rows.length, tombstones: tombstones.length };
}
