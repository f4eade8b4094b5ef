import { isRecordName, type WritableRecordStore } from "./store.js";

/** Records held in a Map: for tests, and the base of stores compiled into a bundle. */
export function memoryStore(records: Record<string, string | Uint8Array> = {}, prefix = "memory:"): WritableRecordStore {
  const encoder = new TextEncoder();
  const data = new Map<string, Uint8Array>();
  for (const [name, content] of Object.entries(records)) {
    data.set(name, typeof content === "string" ? encoder.encode(content) : content);
  }
  return {
    async list() {
      return [...data.keys()].filter(isRecordName);
    },
    async read(name) {
      const bytes = data.get(name);
      return bytes ? bytes.slice() : undefined;
    },
    describe: (name) => `${prefix}${name}`,
    async write(name, bytes) {
      if (!isRecordName(name)) throw new Error(`not a record name: ${JSON.stringify(name)}`);
      data.set(name, bytes.slice());
    },
    async remove(name) {
      return data.delete(name);
    },
  };
}
