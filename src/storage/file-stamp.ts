/**
 * What stat says of a record file, as the parse index (parse-index.ts) keys
 * its rows: its own module, without the database, so parse workers that
 * stat and read records themselves (parse-worker.ts) do not load libsql.
 */
import { lstatSync, type Stats } from "node:fs";

/** A file changed this recently may change again within the same timestamp: its stamp alone proves nothing yet. */
export const RACY_MS = 2000;

/** What stat says of a record file; two equal stamps mean (short of a racy write: see parse-index.ts) the same bytes. */
export interface FileStamp {
  key: string;
  /** Taken long enough after the file's last change that a later write must move the stamp. */
  settled: boolean;
}

/**
 * The stamp of a regular file, or undefined (absent, a symlink, not a file); `nowMs` is the wall clock (file times are).
 * Times in ms as doubles (sub-microsecond here), not bigint ns: a start-up stats every record, and bigint stats cost
 * twice as much; any write later than RACY_MS after the stamped one moves them by far more than their precision.
 */
export function stampOf(path: string, nowMs: number): FileStamp | undefined {
  let s;
  try {
    s = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!s || !s.isFile()) return undefined;
  return stampOfStats(s, nowMs);
}

/** The stamp of what stat (or fstat of an open file) said of a regular file. */
export function stampOfStats(s: Stats, nowMs: number): FileStamp {
  const changed = s.mtimeMs > s.ctimeMs ? s.mtimeMs : s.ctimeMs;
  return { key: `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`, settled: nowMs - changed >= RACY_MS };
}
