import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { isRecordName, type WritableRecordStore } from "./store.js";

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
      try {
        return new Uint8Array(await readFile(join(dir, name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
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
