import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { MAX_RECORD_BYTES } from "../core/record.js";
import { removeFileDurably, writeFileAtomic } from "./atomic-file.js";
import { isRecordName, type WritableRecordStore } from "./store.js";

/**
 * O_NOFOLLOW: a symlink planted in the directory cannot point a read outside
 * it. O_NONBLOCK: opening a FIFO named like a record does not hang (it is
 * then refused as not a regular file).
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * One record file, at most `MAX_RECORD_BYTES + 1` bytes of it (enough to be
 * refused as too large without reading it all). Synchronous on purpose: a
 * record is a few KB on a local disk, and four async round trips through
 * libuv's thread pool per file (open, stat, read, close) cost several times
 * the reading itself; with 100k records that dominated start-up.
 */
function readRecordFile(path: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the name is a symlink (O_NOFOLLOW); not a record of this directory.
    if (code === "ENOENT" || code === "ELOOP") return undefined;
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    const limit = Math.min(info.size, MAX_RECORD_BYTES + 1);
    const buf = new Uint8Array(limit);
    let filled = 0;
    while (filled < limit) {
      const n = readSync(fd, buf, filled, limit - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buf.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * Records as files in a directory (the repository's items/). Writes are
 * atomic and durable (see atomic-file.ts): a crash leaves the old record or
 * the new one, never a torn one.
 */
export function directoryStore(dir: string, label = dir): WritableRecordStore {
  const path = (name: string) => {
    if (!isRecordName(name)) throw new Error(`not a record name: ${JSON.stringify(name)}`);
    return join(dir, name);
  };
  return {
    async list() {
      const entries = await readdir(dir, { withFileTypes: true });
      // Symlinks and other non-files are not records: only regular files are listed.
      return entries.filter((e) => e.isFile() && isRecordName(e.name)).map((e) => e.name);
    },
    async read(name) {
      if (!isRecordName(name)) return undefined;
      return readRecordFile(join(dir, name));
    },
    describe: (name) => `${label.replace(/\/+$/, "")}/${name}`,
    write: async (name, bytes) => writeFileAtomic(path(name), bytes),
    remove: async (name) => removeFileDurably(path(name)),
  };
}
