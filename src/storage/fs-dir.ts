import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isRecordName, type RecordStore } from "./store.js";

/** Records as files in a directory (the repository's items/). */
export function directoryStore(dir: string, label = dir): RecordStore {
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
  };
}
