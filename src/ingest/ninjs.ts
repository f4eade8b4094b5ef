/**
 * IPTC ninjs (News in JSON) 1.x, 2.x and 3.x → ImportedStory. The three
 * generations name the same things differently (1.x `headline`, `body_text`,
 * `byline`, `subject`; 2.x `headlines`, `bodies`, `by`, `subjects`; 3.x the
 * same in camelCase, `versionCreated`, `pubStatus`, `embargoedUntil`): every
 * spelling is read, none is required to match a declared version. Every
 * problem names the JSON path of the value ("$.headlines[0].value").
 */
import { RecordError } from "../core/errors.js";
import { quoteForMessage } from "../core/text.js";
import type { BodySource, ImportedStory, PubStatus, StoryParse } from "./imported-story.js";
import { nitfToHtml } from "./markup.js";
import { creditName, dateProblem, distinct, idFromUri, languageProblem, lineText, pubStatusOf } from "./shared.js";
import { parseXml } from "./xml-tree.js";
import { parseRecordDate } from "../core/dates.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The item types that carry a story; pictures, audio, video, graphics, events and plannings do not. */
const TEXT_TYPES = new Set(["text", "composite"]);
const HTML_TYPES = new Set(["text/html", "application/xhtml+xml", "html", "xhtml"]);
const NITF_TYPES = new Set(["text/vnd.iptc.nitf", "application/nitf+xml", "application/vnd.iptc.nitf+xml"]);
const TEXT_TYPES_PLAIN = new Set(["text/plain", "text"]);
const MAX_CATEGORIES = 100;

function kindOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : typeof value === "string" ? "a string" : `a ${typeof value}`;
}

class Reader {
  readonly notes: string[] = [];
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new RecordError(this.file, path, problem);
  }

  string(value: Json | undefined, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string") this.fail(path, `must be a string, got ${kindOf(value)}`);
    return value;
  }

  list(value: Json | undefined, path: string): Json[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `must be a list, got ${kindOf(value)}`);
    return value;
  }

  object(value: Json, path: string): JsonObject {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path, `must be an object, got ${kindOf(value)}`);
    return value;
  }

  /** The first of several spellings present: [value, path]. */
  either(root: JsonObject, ...keys: string[]): [Json | undefined, string] {
    for (const key of keys) if (root[key] !== undefined) return [root[key], `$.${key}`];
    return [undefined, `$.${keys[0]}`];
  }
}

/** "at position 57" in V8's JSON.parse message → the line of that character. */
function jsonErrorLine(text: string, message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  if (!m) return undefined;
  return text.slice(0, Number(m[1])).split("\n").length;
}

function headlineOf(r: Reader, root: JsonObject): string {
  const [headlines, hPath] = r.either(root, "headlines");
  const list = r.list(headlines, hPath);
  if (list.length > 0) {
    const entries = list.map((entry, i) => {
      const item = r.object(entry, `${hPath}[${i}]`);
      const value = r.string(item.value, `${hPath}[${i}].value`);
      if (value === undefined) r.fail(`${hPath}[${i}].value`, "is required");
      const role = r.string(item.role, `${hPath}[${i}].role`);
      return { value, role, path: `${hPath}[${i}].value` };
    });
    const chosen = entries.find((e) => e.role === undefined || e.role === "main") ?? entries[0]!;
    const text = lineText(chosen.value);
    if (text === "") r.fail(chosen.path, "is empty");
    return text;
  }
  // 1.x: `headline`, and `headline_*` for the others (IPTC's own examples use `headline_main`).
  const extra = Object.keys(root).filter((k) => k.startsWith("headline_"));
  for (const key of ["headline", ...extra]) {
    const value = r.string(root[key], `$.${key}`);
    if (value === undefined) continue;
    const text = lineText(value);
    if (text === "") r.fail(`$.${key}`, "is empty");
    if (key !== "headline") r.notes.push(`$.${key} used as the headline (there is no $.headline)`);
    return text;
  }
  return r.fail("$", "has no headline (headline, or headlines[].value)");
}

type Candidate = BodySource & { rank: number };

/** HTML first (it keeps the paragraphs), NITF next, plain text last. */
function bodyOf(r: Reader, root: JsonObject): BodySource {
  const candidates: Candidate[] = [];
  const [bodies, bPath] = r.either(root, "bodies");
  r.list(bodies, bPath).forEach((entry, i) => {
    const item = r.object(entry, `${bPath}[${i}]`);
    const path = `${bPath}[${i}].value`;
    const value = r.string(item.value, path);
    if (value === undefined) r.fail(path, "is required");
    const type = (r.string(item.contentType ?? item.contenttype, `${bPath}[${i}].${item.contentType !== undefined ? "contentType" : "contenttype"}`) ?? "text/plain").toLowerCase().split(";")[0]!.trim();
    if (HTML_TYPES.has(type)) candidates.push({ kind: "html", value, field: path, rank: 0 });
    else if (NITF_TYPES.has(type)) candidates.push({ kind: "html", value: nitfBody(r, value, path), field: path, rank: 1 });
    else if (TEXT_TYPES_PLAIN.has(type)) candidates.push({ kind: "text", value, field: path, rank: 2 });
    else r.notes.push(`${bPath}[${i}] skipped: content type ${quoteForMessage(type)} is not HTML, NITF or plain text`);
  });
  // 1.x: body_html / body_xhtml, body_text, and any other body_* (IPTC's examples: body_richtext, body_main).
  for (const key of Object.keys(root).filter((k) => k.startsWith("body_"))) {
    const value = r.string(root[key], `$.${key}`);
    if (value === undefined) continue;
    if (key === "body_html" || key === "body_xhtml") candidates.push({ kind: "html", value, field: `$.${key}`, rank: 0 });
    else if (key === "body_text") candidates.push({ kind: "text", value, field: `$.${key}`, rank: 2 });
    else {
      const html = value.trimStart().startsWith("<");
      candidates.push({ kind: html ? "html" : "text", value, field: `$.${key}`, rank: html ? 3 : 4 });
    }
  }
  if (candidates.length === 0) r.fail("$", "has no body (body_text, body_html, body_xhtml, or bodies[].value)");
  const chosen = candidates.reduce((best, c) => (c.rank < best.rank ? c : best));
  if (chosen.rank >= 3) r.notes.push(`${chosen.field} used as the body (no body_html, body_xhtml or body_text)`);
  return { kind: chosen.kind, value: chosen.value, field: chosen.field };
}

function nitfBody(r: Reader, value: string, path: string): string {
  const nitf = parseXml(r.file, value, path);
  const { html, dropped } = nitfToHtml(nitf);
  if (dropped) r.notes.push(`${path}: left out ${dropped} <media> element${dropped === 1 ? "" : "s"} (pictures are not carried)`);
  return html;
}

function dateAt(r: Reader, root: JsonObject, timeZone: string, ...keys: string[]): { text: string; path: string } | undefined {
  const [value, path] = r.either(root, ...keys);
  const text = r.string(value, path);
  if (text === undefined) return undefined;
  const problem = dateProblem(text, timeZone);
  if (problem) r.fail(path, problem);
  return { text: text.trim(), path };
}

function namesAt(r: Reader, value: Json | undefined, path: string): string[] {
  return r.list(value, path).flatMap((entry, i) => {
    const name = r.string(r.object(entry, `${path}[${i}]`).name, `${path}[${i}].name`);
    return name === undefined ? [] : [name];
  });
}

export function parseNinjs(file: string, text: string, timeZone: string): StoryParse {
  const r: Reader = new Reader(file);
  try {
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch (error) {
      const message = (error as Error).message;
      throw new RecordError(file, "(file)", `is not valid JSON: ${message}`, jsonErrorLine(text, message));
    }
    if (Array.isArray(parsed)) r.fail("$", `is a list of ${parsed.length} items; import takes one ninjs object per file`);
    const root = r.object(parsed, "$");

    const type = r.string(root.type, "$.type");
    if (type !== undefined && !TEXT_TYPES.has(type)) r.fail("$.type", `is ${quoteForMessage(type)}: only text stories (type "text" or "composite") become records`);

    const [statusValue, statusPath] = r.either(root, "pubStatus", "pubstatus");
    const statusText = r.string(statusValue, statusPath);
    let status: PubStatus = "usable";
    if (statusText !== undefined) {
      const s = pubStatusOf(statusText);
      if (!s) r.fail(statusPath, `${quoteForMessage(statusText)} is not a publication status (usable, withheld or canceled)`);
      status = s;
    }

    const title = headlineOf(r, root);
    const body = bodyOf(r, root);

    const first = dateAt(r, root, timeZone, "firstCreated", "firstcreated");
    const version = dateAt(r, root, timeZone, "versionCreated", "versioncreated");
    const content = dateAt(r, root, timeZone, "contentCreated", "contentcreated");
    const published = first ?? version ?? content;
    if (!published) r.fail("$", "has no date (firstCreated, versionCreated or contentCreated)");
    const later = version && version !== published && +(parseRecordDate(version.text, timeZone) as Date) > +(parseRecordDate(published.text, timeZone) as Date);

    const embargo = dateAt(r, root, timeZone, "embargoedUntil", "embargoed");

    const [byValue, byPath] = r.either(root, "by", "byline");
    const by = r.string(byValue, byPath);
    const located = r.string(root.located, "$.located");
    const language = r.string(root.language, "$.language");
    if (language !== undefined) {
      const problem = languageProblem(language.trim());
      if (problem) r.fail("$.language", problem);
    }
    const [subjects, sPath] = r.either(root, "subjects", "subject");
    let categories = distinct(namesAt(r, subjects, sPath));
    if (categories.length > MAX_CATEGORIES) {
      r.notes.push(`${sPath}: kept the first ${MAX_CATEGORIES} of ${categories.length} subject names (a record has at most ${MAX_CATEGORIES} categories)`);
      categories = categories.slice(0, MAX_CATEGORIES);
    }
    const [sources, srcPath] = r.either(root, "infoSources", "infosources");
    const source = namesAt(r, sources, srcPath)[0];
    const slugline = r.string(root.slugline, "$.slugline");
    const { id, note } = idFromUri(r.string(root.uri, "$.uri"), "$.uri");
    if (note) r.notes.push(note);

    const story: ImportedStory = {
      format: "ninjs",
      title,
      published: published.text,
      ...(later ? { updated: version.text } : {}),
      ...(located !== undefined && lineText(located) !== "" ? { dateline: lineText(located) } : {}),
      ...(source !== undefined && lineText(source) !== "" ? { source: lineText(source) } : {}),
      authors: by !== undefined && creditName(by) !== "" ? [creditName(by)] : [],
      categories,
      ...(language !== undefined ? { language: language.trim() } : {}),
      ...(id ? { id } : {}),
      ...(slugline !== undefined && lineText(slugline) !== "" ? { slugline: lineText(slugline) } : {}),
      body,
      status,
      statusOrigin: { field: statusPath },
      ...(embargo ? { embargo: { until: embargo.text, field: embargo.path } } : {}),
      notes: r.notes,
    };
    return { ok: true, story };
  } catch (error) {
    if (error instanceof RecordError) return { ok: false, error };
    throw error;
  }
}
