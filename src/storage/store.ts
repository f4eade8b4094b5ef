/**
 * Where article records live. One small interface, one file per backend; every
 * backend passes the contract suite in test/storage/contract.ts.
 */
export interface RecordStore {
  /** Record names ("<slug>.md"), in no particular order. */
  list(): Promise<string[]>;
  /**
   * The record's bytes, or undefined when it does not exist. A store may hand
   * over only the first MAX_RECORD_BYTES + 1 bytes of a larger record: enough
   * for it to be refused as too large without reading all of it.
   */
  read(name: string): Promise<Uint8Array | undefined>;
  /** How a record is named in error messages, e.g. "items/foo.md". */
  describe(name: string): string;
}

/** A store the publish API can change. A write is all-or-nothing: readers see the old or the new record, never a mix. */
export interface WritableRecordStore extends RecordStore {
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** Resolves true when the record existed. */
  remove(name: string): Promise<boolean>;
}

export const RECORD_SUFFIX = ".md";

/** Only "<slug>.md" names that are plain file names (no path separators, no NUL, not hidden) are records. */
export function isRecordName(name: string): boolean {
  return name.endsWith(RECORD_SUFFIX) && name.length > RECORD_SUFFIX.length && !/[/\\\0]/.test(name) && !name.startsWith(".");
}
