import { isRecordName, type RecordStore } from "./store.js";

/**
 * Records compiled into the Worker bundle (see scripts/build-worker-data.ts):
 * read-only, since the only way to change them is a new build. Texts are the
 * records' exact bytes decoded as UTF-8 (the build refuses anything else), so
 * encoding them again gives back the bytes the Node server reads.
 */
export function bundleStore(records: Readonly<Record<string, string>>, label = "items"): RecordStore {
  const encoder = new TextEncoder();
  const names = Object.keys(records).filter(isRecordName);
  return {
    async list() {
      return [...names];
    },
    async read(name) {
      if (!isRecordName(name) || !Object.hasOwn(records, name)) return undefined;
      return encoder.encode(records[name]!);
    },
    describe: (name) => `${label.replace(/\/+$/, "")}/${name}`,
  };
}
