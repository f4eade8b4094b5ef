import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { removeFileDurably, writeFileAtomic } from "./atomic-file.js";
import { isRecordName, type WritableRecordStore } from "./store.js";

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
    write: async (name, bytes) => writeFileAtomic(path(name), bytes),
    remove: async (name) => removeFileDurably(path(name)),
  };
}
