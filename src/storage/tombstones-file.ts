import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseTombstones, type Tombstone } from "../core/tombstone.js";

/** Where a records folder keeps its tombstones: beside the records, committed with them (they are content). */
export const TOMBSTONES_FILE = ".tombstones.json";

/**
 * The tombstones of a records folder, for the builds (static site, Worker
 * data, KV load), read as the Node server reads them: no file is no
 * tombstones; a file that is not JSON is reported in `problem` (the server
 * then starts without tombstones, and so do the builds that go on).
 */
export async function readTombstonesFile(dir: string, label = dir): Promise<{ tombstones: Tombstone[]; problem?: string }> {
  const path = join(dir, TOMBSTONES_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { tombstones: [] };
    throw error;
  }
  try {
    return { tombstones: parseTombstones(JSON.parse(text)) };
  } catch {
    return { tombstones: [], problem: `${label.replace(/\/+$/, "")}/${TOMBSTONES_FILE}: not valid JSON; no tombstones read` };
  }
}
