/**
 * items/.changes.json: the change stamps of a file-based site (see
 * src/core/change-stamps.ts), beside the records and committed with them,
 * so the Node server, `wirefeed build` and the Worker data build all read
 * the same instants. Whoever first sees new bytes (the server's API or
 * watcher, a start-up, a build) stamps them and writes the file.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog, RawRecord } from "../core/catalog.js";
import { emptyStamps, reconcileStamps, recordNameOf, serialiseStamps, StampsError, withStamps, type StampState } from "../core/change-stamps.js";
import { parseStampsText } from "../core/stamps-text.js";
import { writeFileAtomic } from "./atomic-file.js";

export const STAMPS_FILE = ".changes.json";

/** The digest stamps are keyed by: SHA-256 of the record's bytes, base64 (as the live catalog's revisions). */
export function recordDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/**
 * The stored state; undefined when there is none yet (a first start). A file
 * that cannot be read as one counts as an empty state, not none: every
 * record is then stamped anew (later, never earlier, than it was).
 */
export async function readStamps(dir: string, log: (message: string) => void): Promise<StampState | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, STAMPS_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parseStampsText(text, join(dir, STAMPS_FILE));
  } catch (error) {
    log(`${error instanceof StampsError ? error.message : `${join(dir, STAMPS_FILE)}: not valid JSON`}; every record is stamped anew`);
    return emptyStamps();
  }
}

export function writeStamps(dir: string, state: StampState): Promise<void> {
  return writeFileAtomic(join(dir, STAMPS_FILE), new TextEncoder().encode(serialiseStamps(state)));
}

/**
 * Writes the newest state handed to it, one write at a time: a burst of
 * changes costs one write after the one under way, and an older state never
 * lands after a newer one.
 */
export function stampsWriter(dir: string, log: (message: string, error?: unknown) => void) {
  let latest: StampState | undefined;
  let running: Promise<void> = Promise.resolve();
  let scheduled = false;
  return {
    save(state: StampState): void {
      latest = state;
      if (scheduled) return;
      scheduled = true;
      running = running.then(async () => {
        scheduled = false;
        try {
          await writeStamps(dir, latest!);
        } catch (error) {
          // Lost stamps are found again at the next start, stamped later than they were: never a missed change.
          log(`${join(dir, STAMPS_FILE)}: could not be written`, error);
        }
      });
    },
    idle: () => running,
  };
}

/**
 * For a build over a directory: the catalog with the directory's stamps,
 * what is new since they were written stamped `now`. `save` writes them back
 * (call it once the build has succeeded), so the next build, the server and
 * the Worker agree; `restamped` says whether records were stamped anew (not
 * merely a first state written, which moves no date).
 */
export async function stampedCatalog(dir: string, raw: readonly RawRecord[], catalog: Catalog, now: Date, log: (message: string) => void) {
  const previous = await readStamps(dir, log);
  const digests = new Map(raw.map((r) => [r.file.slice(r.file.lastIndexOf("/") + 1), recordDigest(r.bytes)]));
  const current = catalog.entries.map((article) => ({ name: recordNameOf(article), sha: digests.get(recordNameOf(article))!, article }));
  const { moved, ...state } = reconcileStamps(previous, current, now);
  const stale = moved || previous === undefined;
  return {
    catalog: withStamps(catalog, state),
    state,
    restamped: moved && previous !== undefined,
    save: async () => {
      if (stale) await writeStamps(dir, state);
    },
  };
}
