import { isRecordName, type RecordStore } from "./store.js";

/** Records held in a Map: for tests and for records compiled into a bundle. */
export function memoryStore(records: Record<string, string | Uint8Array> = {}, prefix = "memory:"): RecordStore & {
  set(name: string, content: string | Uint8Array): void;
  delete(name: string): void;
} {
  const encoder = new TextEncoder();
  const data = new Map<string, Uint8Array>();
  const set = (name: string, content: string | Uint8Array) =>
    data.set(name, typeof content === "string" ? encoder.encode(content) : content);
  for (const [name, content] of Object.entries(records)) set(name, content);
  return {
    async list() {
      return [...data.keys()].filter(isRecordName);
    },
    async read(name) {
      return data.get(name);
    },
    describe: (name) => `${prefix}${name}`,
    set,
    delete: (name) => void data.delete(name),
  };
}
