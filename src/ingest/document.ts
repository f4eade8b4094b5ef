/**
 * What kind of document `wirefeed import` was given, told from its first
 * characters: "{" or "[" is ninjs (JSON), "<" is NewsML-G2 (XML), anything
 * else a plain-text wire story as copied from an agency page.
 */
import { RecordError } from "../core/errors.js";
import { MAX_DOCUMENT_BYTES } from "./shared.js";

export type DocumentKind = "ninjs" | "NewsML-G2" | "plain text";

export function documentKind(text: string): DocumentKind {
  const start = text.replace(/^\uFEFF/, "").trimStart()[0];
  if (start === "{" || start === "[") return "ninjs";
  if (start === "<") return "NewsML-G2";
  return "plain text";
}

/** The document's text: UTF-8, no NUL bytes, at most MAX_DOCUMENT_BYTES; otherwise a RecordError on "(file)". */
export function decodeDocument(file: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new RecordError(file, "(file)", "is empty");
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new RecordError(file, "(file)", `is ${bytes.length} bytes; import reads documents of at most ${MAX_DOCUMENT_BYTES}`);
  if (bytes.includes(0)) throw new RecordError(file, "(file)", "is binary (contains NUL bytes), not a text record");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RecordError(file, "(file)", "is not valid UTF-8 text");
  }
}
