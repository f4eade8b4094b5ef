/**
 * Reading a stored change-stamp state (serialiseStamps' text) fast. A 100k
 * site's file is 31 MB; JSON.parse makes ~30 objects per record (the stamp
 * object, its strings, the scopes array and each scope string), and that,
 * with the garbage collection it causes, was about a third of a restart.
 *
 * The text serialiseStamps writes has one record per line, keys in one
 * order, and (for record names and scopes without quotes, backslashes or
 * control characters, which is every slug) no escapes: such a line is read
 * by position, each distinct scopes array parsed once and shared (stamps
 * are never mutated). Any doubt (other spacing, another key order, an
 * escape, a value that is not what parseStamps accepts) and the whole text
 * goes through JSON.parse and parseStamps instead, so the result and the
 * errors are always theirs.
 */
import { emptyStamps, parseStamps, STAMPS_FORMAT, type RecordStamp, type StampState } from "./change-stamps.js";

/** The stored state in `text` (from `source`); throws SyntaxError (not JSON) or StampsError (not a stamp state), as JSON.parse and parseStamps do. */
export function parseStampsText(text: string, source: string): StampState {
  return fastParse(text) ?? parseStamps(JSON.parse(text), source);
}

const HEAD = `{\n  "format": ${STAMPS_FORMAT},\n  "records": {\n`;
const RECORDS_END = `  },\n  "left": {\n`;
const LINE_START = '    "';
const SHA = '": {"sha":"';
const CHANGED = '","changed":"';
const LISTED = '","listed":"';
const SCOPES = '","scopes":[';
const POSITION = '],"position":"';

/** The state, or undefined when the text is not exactly serialiseStamps' layout (then the general parser decides). */
function fastParse(text: string): StampState | undefined {
  // Escapes and control characters (other than the line breaks) would need JSON's rules: not here.
  if (!text.startsWith(HEAD) || /[\\\x00-\x09\x0b-\x1f]/.test(text)) return undefined;
  const end = text.indexOf(RECORDS_END, HEAD.length);
  if (end === -1) return undefined;
  const state = emptyStamps();
  const scopeLists = new Map<string, string[]>();
  // No records: RECORDS_END right after HEAD.
  if (end > HEAD.length) {
    // Lines "    \"name\": {…}," … the last without its comma, then a line break.
    const block = text.slice(HEAD.length, end - 1);
    if (text.charCodeAt(end - 1) !== 10) return undefined;
    const lines = block.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const stamp = readLine(lines[i]!, i === lines.length - 1, scopeLists, state.records);
      if (!stamp) return undefined;
    }
  }
  // The small tail ("left": scope → ISO date) the general way: `{"left": {…}}`.
  let tail: unknown;
  try {
    tail = JSON.parse(`{${text.slice(end + 5)}`);
  } catch {
    return undefined;
  }
  const left = (tail as { left?: unknown }).left;
  if (typeof left !== "object" || left === null || Object.keys(tail as object).length !== 1) return undefined;
  for (const [key, value] of Object.entries(left as Record<string, unknown>)) {
    const d = isoDate(value);
    if (!d) return undefined;
    state.left.set(key, d);
  }
  return state;
}

/** One record line into `records`; undefined (and nothing certain) when it is not in the written layout. */
function readLine(line: string, last: boolean, scopeLists: Map<string, string[]>, records: Map<string, RecordStamp>): true | undefined {
  if (!line.startsWith(LINE_START)) return undefined;
  const nameEnd = line.indexOf('"', LINE_START.length);
  if (nameEnd === -1 || !line.startsWith(SHA, nameEnd)) return undefined;
  const name = line.slice(LINE_START.length, nameEnd);
  const shaAt = nameEnd + SHA.length;
  const shaEnd = line.indexOf('"', shaAt);
  if (shaEnd === -1 || !line.startsWith(CHANGED, shaEnd)) return undefined;
  const changedAt = shaEnd + CHANGED.length;
  const changedEnd = line.indexOf('"', changedAt);
  if (changedEnd === -1 || !line.startsWith(LISTED, changedEnd)) return undefined;
  const listedAt = changedEnd + LISTED.length;
  const listedEnd = line.indexOf('"', listedAt);
  if (listedEnd === -1 || !line.startsWith(SCOPES, listedEnd)) return undefined;
  const scopesAt = listedEnd + SCOPES.length - 1;
  const scopesEnd = line.indexOf("]", scopesAt);
  if (scopesEnd === -1 || !line.startsWith(POSITION, scopesEnd)) return undefined;
  const positionAt = scopesEnd + POSITION.length;
  const positionEnd = line.indexOf('"', positionAt);
  if (positionEnd === -1 || line.length !== positionEnd + (last ? 2 : 3) || !line.startsWith(last ? '"}' : '"},', positionEnd)) return undefined;
  const scopes = scopeList(line.slice(scopesAt, scopesEnd + 1), scopeLists);
  if (!scopes) return undefined;
  const changedText = line.slice(changedAt, changedEnd);
  const changed = isoDate(changedText);
  if (!changed) return undefined;
  // Most records were listed when they changed: one Date for both, as parseStamps does.
  const listedText = line.slice(listedAt, listedEnd);
  const listed = listedText === changedText ? changed : isoDate(listedText);
  if (!listed) return undefined;
  // As JSON.parse: a name given twice keeps its first place and its last value.
  records.set(name, { sha: line.slice(shaAt, shaEnd), changed, listed, scopes, position: line.slice(positionAt, positionEnd) });
  return true;
}

/** A scopes array written as JSON, parsed once per distinct text and shared; undefined unless an array of strings. */
function scopeList(raw: string, seen: Map<string, string[]>): string[] | undefined {
  const known = seen.get(raw);
  if (known) return known;
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list) || !list.every((k) => typeof k === "string")) return undefined;
  seen.set(raw, list as string[]);
  return list as string[];
}

/** What parseStamps' dates accept (a string Date parses), or undefined. */
function isoDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
