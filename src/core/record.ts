import yaml from "js-yaml";
import type { Article, ArticleImage, Enclosure } from "./article.js";
import type { Person, SiteConfig } from "./config.js";
import { isDateOnly, localDate, parseRecordDate } from "./dates.js";
import { RecordError } from "./errors.js";
import { isLanguageTag } from "./language.js";
import { lineOfPath } from "./yaml-lines.js";
import { renderMarkdown, type RenderedBody } from "./markdown.js";
import { RenderLimitError } from "./render-limits.js";
import { mediaTypeFromUrl, normaliseMediaType } from "./media-types.js";
import { slugProblem } from "./slug.js";
import { collapseWhitespace, quoteForMessage, stripForbiddenXmlChars } from "./text.js";

export { MAX_SLUG_LENGTH, SLUG, slugProblem } from "./slug.js";
/** Larger records are refused: a news article is a few KB; a huge file is a mistake or an attack. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** Characters in a correction note. */
export const MAX_CORRECTION_LENGTH = 1000;
/**
 * The longest field name (a key of the front matter, at any level). Every
 * known field is a dozen characters at most, so a longer key is a mistake;
 * the bound keeps error messages, and the work of finding a key's line, small.
 */
export const MAX_KEY_LENGTH = 64;
/**
 * Problems reported per record. Past this, one more line says how many were
 * left out: 100,000 unknown fields are one mistake, not 100,000 messages,
 * and each reported problem costs a search for its line.
 */
export const MAX_REPORTED_PROBLEMS = 50;
/**
 * The most entries of a list field (authors, categories, enclosures). Each
 * category is a scope with its own pages and feeds, and every feed item
 * repeats them all: one record of 20,000 categories made an 11 MB OPML and
 * 20,000 feeds of 850 KB each. A wire story has a handful.
 */
export const MAX_LIST_ENTRIES = 100;

const FIELDS = [
  "title",
  "published",
  "updated",
  "embargo",
  "summary",
  "correction",
  "authors",
  "categories",
  "dateline",
  "source",
  "desk",
  "language",
  "image",
  "enclosures",
  "id",
  "draft",
] as const;

export type ParseResult =
  | { ok: true; article: Article }
  | { ok: true; draft: true; slug: string }
  | { ok: false; errors: RecordError[] };

/** "items/foo-bar.md" → "foo-bar"; the slug is the file's base name without ".md". */
export function slugOfFile(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base.endsWith(".md") ? base.slice(0, -3) : base;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string): string {
  const near = FIELDS.find((f) => editDistance(f, key.toLowerCase()) <= 2);
  return near ? ` (did you mean "${near}"?)` : "";
}

/** Decodes bytes as strict UTF-8; binary files (NUL bytes, invalid sequences) are rejected. */
export function decodeRecordBytes(file: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw new RecordError(file, "(file)", "is empty");
  if (bytes.length > MAX_RECORD_BYTES) {
    // Stores may hand over only the first MAX_RECORD_BYTES + 1 bytes of a larger file, so no exact size here.
    throw new RecordError(file, "(file)", `is larger than the limit of ${MAX_RECORD_BYTES} bytes`);
  }
  if (bytes.includes(0)) throw new RecordError(file, "(file)", "is binary (contains NUL bytes), not a text record");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RecordError(file, "(file)", "is not valid UTF-8 text");
  }
}

/** "enclosures[0].url" → ["enclosures", 0, "url"]: where in the YAML a field lives, for its line number. */
function fieldPath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

class FieldReader {
  readonly errors: RecordError[] = [];
  /** Problems found past MAX_REPORTED_PROBLEMS: counted, not reported. */
  private unreported = 0;
  private lines: string[] | undefined;
  constructor(
    private readonly file: string,
    private readonly yaml: string,
    /** Lines before the YAML starts (the opening "---"). */
    private readonly lineOffset: number,
  ) {}

  lineOf(path: (string | number)[]): number | undefined {
    const line = lineOfPath((this.lines ??= this.yaml.split("\n")), path);
    return line === undefined ? undefined : line + this.lineOffset;
  }

  /** True once MAX_REPORTED_PROBLEMS are reported: callers may skip working out more. */
  get full(): boolean {
    return this.errors.length >= MAX_REPORTED_PROBLEMS;
  }

  fail(field: string, problem: string, path: (string | number)[] = fieldPath(field)): undefined {
    if (this.full) this.unreported++;
    else this.errors.push(new RecordError(this.file, field, problem, this.lineOf(path)));
    return undefined;
  }

  /** A problem whose line is known (or that has none). */
  report(field: string, problem: string, line?: number): void {
    if (this.full) this.unreported++;
    else this.errors.push(new RecordError(this.file, field, problem, line));
  }

  /** Every reported problem, and one saying how many more there were. */
  all(): RecordError[] {
    if (this.unreported === 0) return this.errors;
    return [...this.errors, new RecordError(this.file, "(record)", `${this.unreported} more problem${this.unreported === 1 ? "" : "s"} not listed`)];
  }

  text(value: unknown, field: string, opts: { multiline?: boolean } = {}): string | undefined {
    if (typeof value !== "string") {
      return this.fail(field, `must be text${typeof value === "number" || typeof value === "boolean" ? " (quote it)" : ""}`);
    }
    const clean = stripForbiddenXmlChars(value);
    const result = opts.multiline ? clean.trim() : collapseWhitespace(clean);
    if (result === "") return this.fail(field, "must not be empty");
    return result;
  }
}

/**
 * A field name as a message shows it: as written when it is a plain word,
 * JSON-quoted otherwise (a newline in a quoted YAML key must not break the
 * one-line message), and cut after 24 characters when over MAX_KEY_LENGTH.
 */
function keyName(key: string): string {
  const shown = key.length > MAX_KEY_LENGTH ? key.slice(0, 24) : key;
  const written = /^[\p{L}\p{N}_-]+$/u.test(shown) ? shown : JSON.stringify(shown);
  return key.length > MAX_KEY_LENGTH ? `${written}…` : written;
}

/** Keys of `obj` that are not `known`; over-long ones are left out (reported once, by their length). */
function unknownKeys(obj: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(obj).filter((key) => key.length <= MAX_KEY_LENGTH && !known.includes(key));
}

/**
 * Mapping keys longer than `max`, with where they are, down to the depth
 * the parser reads (authors[0].name is three levels; anything deeper is
 * refused as a wrong type of its parent). Its own stack, not recursion, and
 * at most MAX_REPORTED_PROBLEMS finds.
 */
function keysLongerThan(root: unknown, max: number): { path: (string | number)[]; key: string }[] {
  const found: { path: (string | number)[]; key: string }[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  const seen = new Set<unknown>();
  while (stack.length > 0 && found.length < MAX_REPORTED_PROBLEMS) {
    const { value, path } = stack.pop()!;
    if (typeof value !== "object" || value === null || seen.has(value) || path.length > 3) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key.length > max) found.push({ path, key });
      else stack.push({ value: v, path: [...path, key] });
    }
  }
  return found;
}

/** ["authors", 0] → "authors[0].": the prefix of a field under `path`. */
function fieldName(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${keyName(p)}`)).join("").replace(/^\./, "") + (path.length ? "." : "");
}

function resolveUrl(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function readPerson(r: FieldReader, value: unknown, field: string, base: string): Person | undefined {
  if (typeof value === "string") {
    const name = r.text(value, field);
    return name ? { name } : undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return r.fail(field, "must be a name or {name, email?, url?}");
  }
  const obj = value as Record<string, unknown>;
  for (const key of unknownKeys(obj, ["name", "email", "url"])) r.fail(`${field}.${keyName(key)}`, "unknown field", [...fieldPath(field), key]);
  const name = r.text(obj.name, `${field}.name`);
  let email: string | undefined;
  if (obj.email !== undefined) {
    email = r.text(obj.email, `${field}.email`);
    if (email && !isEmailAddress(email)) {
      email = r.fail(`${field}.email`, `${quoteForMessage(email)} is not an email address`);
    }
  }
  let url: string | undefined;
  if (obj.url !== undefined) {
    const raw = r.text(obj.url, `${field}.url`);
    url = raw === undefined ? undefined : resolveUrl(raw, base) ?? r.fail(`${field}.url`, `${quoteForMessage(raw)} is not an http(s) URL`);
  }
  if (!name) return undefined;
  return { name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

/**
 * local@domain.tld without white space or the characters that would need
 * quoting in a mail header. Two linear checks rather than one regex whose
 * "+\\.…+" backtracks quadratically on a long run of dots.
 */
function isEmailAddress(text: string): boolean {
  if (!/^[^\s@<>()",;]+@[^\s@<>()",;]+$/.test(text)) return false;
  const domain = text.slice(text.indexOf("@") + 1);
  return domain.slice(1, -1).includes(".");
}

function readList(r: FieldReader, value: unknown, field: string): unknown[] | undefined {
  if (!Array.isArray(value)) return r.fail(field, "must be a list");
  if (value.length > MAX_LIST_ENTRIES) return r.fail(field, `has ${value.length} entries; the limit is ${MAX_LIST_ENTRIES}`);
  return value;
}

function readLength(r: FieldReader, value: unknown, field: string): number | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    return r.fail(field, "must be a whole number of bytes");
  }
  return value;
}

/** Largest image side a record may give, in CSS pixels: beyond any photo a wire sends, and a typo's guard. */
const MAX_IMAGE_SIDE = 20000;

function readDimension(r: FieldReader, value: unknown, field: string): number | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > MAX_IMAGE_SIDE) {
    return r.fail(field, `must be a whole number of pixels from 1 to ${MAX_IMAGE_SIDE}`);
  }
  return value;
}

function readImage(r: FieldReader, value: unknown, base: string): ArticleImage | undefined {
  const obj: Record<string, unknown> = typeof value === "string" ? { url: value } : (value as Record<string, unknown>);
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return r.fail("image", "must be a URL or {url, type?, length?, alt?, width?, height?}");
  for (const key of unknownKeys(obj, ["url", "type", "length", "alt", "width", "height"])) r.fail(`image.${keyName(key)}`, "unknown field", ["image", key]);
  const raw = r.text(obj.url, "image.url");
  if (raw === undefined) return undefined;
  const url = resolveUrl(raw, base);
  if (!url) return r.fail("image.url", `${quoteForMessage(raw)} is not an http(s) URL`);
  const type = obj.type === undefined ? mediaTypeFromUrl(url) : normaliseMediaType(String(obj.type));
  if (!type) {
    return r.fail("image.type", obj.type === undefined ? "cannot be inferred from the URL; give it" : `${quoteForMessage(String(obj.type))} is not a media type`);
  }
  if (!type.startsWith("image/")) return r.fail("image.type", `${quoteForMessage(type)} is not an image type`);
  const length = obj.length === undefined ? undefined : readLength(r, obj.length, "image.length");
  const alt = obj.alt === undefined ? undefined : r.text(obj.alt, "image.alt");
  // Pages reserve the image's box only when both sides are known (no layout shift, no guessed ratio).
  const width = obj.width === undefined ? undefined : readDimension(r, obj.width, "image.width");
  const height = obj.height === undefined ? undefined : readDimension(r, obj.height, "image.height");
  if ((obj.width === undefined) !== (obj.height === undefined)) r.fail(obj.width === undefined ? "image.width" : "image.height", "is required with the other side");
  return {
    url,
    type,
    ...(length !== undefined ? { length } : {}),
    ...(alt ? { alt } : {}),
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
  };
}

function readEnclosure(r: FieldReader, value: unknown, i: number, base: string): Enclosure | undefined {
  const field = `enclosures[${i}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return r.fail(field, "must be {url, type, length}");
  const obj = value as Record<string, unknown>;
  for (const key of unknownKeys(obj, ["url", "type", "length"])) r.fail(`${field}.${keyName(key)}`, "unknown field", ["enclosures", i]);
  const raw = typeof obj.url === "string" ? obj.url : undefined;
  const url = raw === undefined ? undefined : resolveUrl(raw, base);
  if (!url) r.fail(`${field}.url`, raw === undefined ? "is required" : `${quoteForMessage(raw)} is not an http(s) URL`, ["enclosures", i]);
  const type = typeof obj.type === "string" ? normaliseMediaType(obj.type) : undefined;
  if (!type) r.fail(`${field}.type`, obj.type === undefined ? "is required" : `${quoteForMessage(String(obj.type))} is not a media type`, ["enclosures", i]);
  const length = obj.length === undefined
    ? r.fail(`${field}.length`, "is required (size in bytes)", ["enclosures", i])
    : readLength(r, obj.length, `${field}.length`);
  return url && type && length !== undefined ? { url, type, length } : undefined;
}

/** Splits "---\nyaml\n---\nbody" and parses the YAML; throws a RecordError naming the front matter. */
function splitFrontMatter(file: string, text: string): { yaml: string; body: string; bodyLine: number } {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!normalised.startsWith("---\n")) {
    throw new RecordError(file, "front matter", 'must start the file with a line "---"', 1);
  }
  const end = normalised.indexOf("\n---", 3);
  const close = end === -1 ? null : /^[ \t]*(\n|$)/.exec(normalised.slice(end + 4));
  if (!close) {
    throw new RecordError(file, "front matter", 'is not closed by a line "---"', 1);
  }
  const yaml = normalised.slice(4, end + 1);
  const bodyStart = end + 4 + close[0].length;
  // Line 1 is the opening "---"; `yaml` ends with a newline, so split() gives its line count + 1; then the closing "---".
  return { yaml, body: normalised.slice(bodyStart), bodyLine: yaml.split("\n").length + 2 };
}

/**
 * Turns one record file into an Article, or every problem found in it.
 * Pure: the site config supplies base URL, defaults and time zone.
 */
export function parseRecord(file: string, input: string | Uint8Array, site: SiteConfig): ParseResult {
  try {
    return parseRecordText(file, typeof input === "string" ? input : decodeRecordBytes(file, input), site);
  } catch (error) {
    if (error instanceof RecordError) return { ok: false, errors: [error] };
    throw error;
  }
}

function parseRecordText(file: string, text: string, site: SiteConfig): ParseResult {
  if (text.trim() === "") throw new RecordError(file, "(file)", "is empty");
  const slug = slugOfFile(file);
  const { yaml: yaml_, body, bodyLine } = splitFrontMatter(file, text);
  let data: unknown;
  try {
    // CORE_SCHEMA (YAML 1.2): dates stay strings, so "2022-06-29" is validated here, not silently converted.
    data = yaml.load(yaml_, { schema: yaml.CORE_SCHEMA, filename: file, json: false });
  } catch (error) {
    // js-yaml reads nesting by recursion: "[[[[…" a few thousand deep runs out of stack.
    if (error instanceof RangeError) throw new RecordError(file, "front matter", "is not valid YAML: nested too deeply");
    const e = error as { reason?: string; message: string; mark?: { line: number } };
    throw new RecordError(file, "front matter", `is not valid YAML: ${e.reason ?? e.message.split("\n")[0]}`, e.mark ? e.mark.line + 2 : undefined);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new RecordError(file, "front matter", "must be a YAML mapping of fields", 2);
  }
  const raw = data as Record<string, unknown>;
  const r = new FieldReader(file, yaml_, 1);

  const badSlug = slugProblem(slug);
  if (badSlug) r.report("slug", `${badSlug} (file name <slug>.md)`);
  const longKeys = keysLongerThan(raw, MAX_KEY_LENGTH);
  for (const { path, key } of longKeys) {
    r.fail(`${fieldName(path)}${keyName(key)}`, `field name is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}`, [...path, key].slice(0, 3));
  }
  for (const key of Object.keys(raw)) {
    if (key.length > MAX_KEY_LENGTH || (FIELDS as readonly string[]).includes(key)) continue;
    if (r.full) r.fail(key, "unknown field");
    else r.fail(keyName(key), `unknown field${suggestion(key)}`, [key]);
  }
  if (raw.draft !== undefined && typeof raw.draft !== "boolean") r.fail("draft", "must be true or false");

  const title = raw.title === undefined ? r.fail("title", "is required") : r.text(raw.title, "title");
  const readDate = (field: "published" | "updated" | "embargo"): Date | undefined => {
    const value = raw[field];
    if (value === undefined) return field === "published" ? r.fail(field, "is required") : undefined;
    if (typeof value !== "string") return r.fail(field, "must be an ISO 8601 date-time (quote it)");
    const parsed = parseRecordDate(value.trim(), site.timeZone);
    return typeof parsed === "string" ? r.fail(field, parsed) : parsed;
  };
  const published = readDate("published");
  let updated = readDate("updated");
  // Held back until then (embargo.ts): a date-time like published; the article is shown from the later of the two.
  const embargo = readDate("embargo");
  // A bare date (2022-06-29) names a day, not local midnight: pages show it without a time.
  const givenAsDate = (field: "published" | "updated") => typeof raw[field] === "string" && isDateOnly(raw[field] as string);
  if (published && updated && updated.getTime() <= published.getTime()) {
    updated = r.fail("updated", "must be later than published");
  }
  const summary = raw.summary === undefined ? undefined : r.text(raw.summary, "summary");
  const correction = raw.correction === undefined ? undefined : r.text(raw.correction, "correction");
  if (correction !== undefined && correction.length > MAX_CORRECTION_LENGTH) {
    r.fail("correction", `is ${correction.length} characters; at most ${MAX_CORRECTION_LENGTH} (a note on what was corrected, not a second story)`);
  } else if (correction !== undefined && raw.updated === undefined) {
    r.fail("correction", "needs updated: the date-time of the correction");
  }
  const authorsRaw = raw.authors === undefined ? undefined : readList(r, raw.authors, "authors");
  const authors = (authorsRaw ?? []).map((a, i) => readPerson(r, a, `authors[${i}]`, site.baseUrl)).filter((a): a is Person => !!a);
  const categoriesRaw = raw.categories === undefined ? [] : readList(r, raw.categories, "categories") ?? [];
  const categories = [...new Set(categoriesRaw.map((c, i) => r.text(c, `categories[${i}]`)).filter((c): c is string => !!c))];
  const optionalText = (field: "dateline" | "source" | "desk") => (raw[field] === undefined ? undefined : r.text(raw[field], field));
  const dateline = optionalText("dateline");
  const source = optionalText("source");
  const desk = optionalText("desk");
  let language = site.language;
  if (raw.language !== undefined) {
    const lang = r.text(raw.language, "language");
    if (lang && !isLanguageTag(lang)) r.fail("language", `${quoteForMessage(lang)} is not a BCP 47 language tag`);
    else if (lang) language = lang;
  }
  const image = raw.image === undefined ? undefined : readImage(r, raw.image, site.baseUrl);
  const enclosuresRaw = raw.enclosures === undefined ? [] : readList(r, raw.enclosures, "enclosures") ?? [];
  const enclosures = enclosuresRaw.map((e, i) => readEnclosure(r, e, i, site.baseUrl)).filter((e): e is Enclosure => !!e);

  let id: string | undefined;
  if (raw.id !== undefined) {
    id = r.text(raw.id, "id");
    // The id must read identically in RSS guid, Atom id and JSON id, so only canonical absolute URIs pass.
    if (id && !isCanonicalUri(id)) id = r.fail("id", `${quoteForMessage(id)} must be an absolute URI in canonical form (e.g. tag:example.com,2022-06-29:slug)`);
  } else if (published) {
    id = defaultId(site, slug, published);
  }

  const markdown = stripForbiddenXmlChars(body).trim();
  if (markdown === "") r.report("body", "is empty: an article needs text after the front matter", bodyLine);
  const url = new URL(`items/${slug}`, site.baseUrl).href;
  const rendered = markdown === "" ? undefined : renderWithinLimits(r, file, markdown, url, bodyLine + leadingLines(body));

  if (r.errors.length > 0) return { ok: false, errors: r.all() };
  if (raw.draft === true) return { ok: true, draft: true, slug };
  return {
    ok: true,
    article: {
      slug,
      file,
      id: id!,
      title: title!,
      published: published!,
      ...(updated ? { updated } : {}),
      ...(embargo ? { embargo } : {}),
      ...(givenAsDate("published") || (updated && givenAsDate("updated"))
        ? { dateOnly: { ...(givenAsDate("published") ? { published: true } : {}), ...(updated && givenAsDate("updated") ? { updated: true } : {}) } }
        : {}),
      ...(summary ? { summary } : {}),
      ...(correction ? { correction } : {}),
      body: markdown,
      authors: authors.length > 0 ? authors : [site.author],
      categories,
      ...(dateline ? { dateline } : {}),
      ...(source ? { source } : {}),
      ...(desk ? { desk } : {}),
      language,
      ...(image ? { image } : {}),
      enclosures,
      url,
      rendered: rendered!,
    },
  };
}

/** The id a record without an `id` field gets: a tag URI of the site's domain, the local publication date and the slug. */
export function defaultId(site: SiteConfig, slug: string, published: Date): string {
  return `tag:${site.idDomain},${localDate(published, site.timeZone)}:${slug}`;
}

/** Newlines before the first character the trimmed body keeps. */
function leadingLines(body: string): number {
  return (/^\s*/.exec(body)![0].match(/\n/g) ?? []).length;
}

/** The body rendered, or a "body" error (with the line, where the renderer knows it) when it cannot be within the limits. */
function renderWithinLimits(r: FieldReader, file: string, markdown: string, url: string, firstLine: number): RenderedBody | undefined {
  try {
    return renderMarkdown(markdown, url);
  } catch (error) {
    if (!(error instanceof RenderLimitError)) throw error;
    const line = error.offset === undefined ? firstLine : firstLine + (markdown.slice(0, error.offset).match(/\n/g) ?? []).length;
    r.report("body", error.problem, line);
    return undefined;
  }
}

/** True when `new URL()` leaves the text as it is, so every format prints the same id. */
export function isCanonicalUri(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/.test(text) || /[<>"&\s]/.test(text)) return false;
  try {
    return new URL(text).href === text;
  } catch {
    return false;
  }
}
