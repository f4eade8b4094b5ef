import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { open, readdir, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { MAX_RECORD_BYTES } from "../core/record.js";
import { isRecordName, type WritableRecordStore } from "./store.js";

/**
 * O_NOFOLLOW: a symlink planted in the directory cannot point a read outside
 * it. O_NONBLOCK: opening a FIFO named like a record does not hang (it is
 * then refused as not a regular file).
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Reads at most `limit` bytes from the start of an open file. */
async function readPrefix(handle: FileHandle, limit: number): Promise<Uint8Array> {
  const buf = new Uint8Array(limit);
  let filled = 0;
  while (filled < limit) {
    const { bytesRead } = await handle.read(buf, filled, limit - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

/**
 * Records as files in a directory (the repository's items/). Writes go to a
 * temporary file in the same directory, are fsynced, then renamed over the
 * record (atomic on POSIX), and the directory is fsynced so the rename is
 * durable: a crash leaves the old record or the new one, never a torn one.
 */
export function directoryStore(dir: string, label = dir): WritableRecordStore {
  const path = (name: string) => {
    if (!isRecordName(name)) throw new Error(`not a record name: ${JSON.stringify(name)}`);
    return join(dir, name);
  };
  const syncDir = async () => {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  return {
    async list() {
      const entries = await readdir(dir, { withFileTypes: true });
      return entries.filter((e) => e.isFile() && isRecordName(e.name)).map((e) => e.name);
    },
    async read(name) {
      if (!isRecordName(name)) return undefined;
      let handle: FileHandle;
      try {
        handle = await open(join(dir, name), READ_FLAGS);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ELOOP: the name is a symlink (O_NOFOLLOW); not a record of this directory.
        if (code === "ENOENT" || code === "ELOOP") return undefined;
        throw error;
      }
      try {
        const info = await handle.stat();
        if (!info.isFile()) return undefined;
        // Size first: a huge file is read only far enough to be refused as too large.
        return await readPrefix(handle, Math.min(info.size, MAX_RECORD_BYTES + 1));
      } finally {
        await handle.close();
      }
    },
    describe: (name) => `${label.replace(/\/+$/, "")}/${name}`,
    async write(name, bytes) {
      const target = path(name);
      // Dot-prefixed, so list() and watchers never take it for a record.
      const temp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
      const handle = await open(temp, "wx", 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await unlink(temp).catch(() => {});
        throw error;
      }
      await handle.close();
      try {
        await rename(temp, target);
      } catch (error) {
        await unlink(temp).catch(() => {});
        throw error;
      }
      await syncDir();
    },
    async remove(name) {
      try {
        await unlink(path(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
        throw error;
      }
      await syncDir();
      return true;
    },
  };
}
