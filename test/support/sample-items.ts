/**
 * The sample records tests use: a copy of the bundled items/ kept in
 * test/fixtures/items, so that no test depends on what a working tree's
 * items/ holds (a server run there may have deleted or added records, and
 * left its .tombstones.json). Nothing writes to the fixture folder: a test
 * that runs a server or the CLI on the samples gets its own copy.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRecordName } from "../../src/storage/store.js";

export const SAMPLE_ITEMS = "test/fixtures/items";

/** Record names of the samples ("<slug>.md"), sorted. */
export const SAMPLE_RECORDS: readonly string[] = readdirSync(SAMPLE_ITEMS).filter(isRecordName).sort();

/** The seed story among the samples (the kind of story the publisher serves). */
export const SAMPLE_SEED = "japan-pm-seeks-nato-partnership-upgrade.md";

export function readSample(name: string): Buffer {
  return readFileSync(join(SAMPLE_ITEMS, name));
}

/** Copies the samples into `dir` (created if missing; a fresh temp folder when omitted) and returns it. */
export function copySamples(dir = mkdtempSync(join(tmpdir(), "wirefeed-samples-"))): string {
  mkdirSync(dir, { recursive: true });
  for (const name of SAMPLE_RECORDS) copyFileSync(join(SAMPLE_ITEMS, name), join(dir, name));
  return dir;
}
