import yaml from "js-yaml";
import type { Article, ArticleImage, Enclosure } from "./article.js";
import type { Person, SiteConfig } from "./config.js";
import { localDate, parseRecordDate } from "./dates.js";
import { RecordError } from "./errors.js";
import { isLanguageTag } from "./language.js";
import { lineOfPath } from "./yaml-lines.js";
import { renderMarkdown, type RenderedBody } from "./markdown.js";
import { RenderLimitError } from "./render-limits.js";
import { mediaTypeFromUrl, normaliseMediaType } from "./media-types.js";
import { collapseWhitespace, stripForbiddenXmlChars } from "./text.js";

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Larger records are refused: a news article is a few KB; a huge file is a mistake or an attack. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const FIELDS = [
  "title",
  "published",
  "updated",
  "summary",
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
  constructor(
    private readonly file: string,
    private readonly yaml: string,
    /** Lines before the YAML starts (the opening "---"). */
    private readonly lineOffset: number,
  ) {}

  lineOf(path: (string | number)[]): number | undefined {
    const line = lineOfPath(this.yaml, path);
    return line === undefined ? undefined : line + this.lineOffset;
  }

  fail(field: string, problem: string, path: (string | number)[] = fieldPath(field)): undefined {
    this.errors.push(new RecordError(this.file, field, problem, this.lineOf(path)));
    return undefined;
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
  for (const key of Object.keys(obj)) {
    if (!["name", "email", "url"].includes(key)) r.fail(`${field}.${key}`, "unknown field");
  }
  const name = r.text(obj.name, `${field}.name`);
  let email: string | undefined;
  if (obj.email !== undefined) {
    email = r.text(obj.email, `${field}.email`);
    if (email && !/^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(email)) {
      email = r.fail(`${field}.email`, `"${email}" is not an email address`);
    }
  }
  let url: string | undefined;
  if (obj.url !== undefined) {
    const raw = r.text(obj.url, `${field}.url`);
    url = raw === undefined ? undefined : resolveUrl(raw, base) ?? r.fail(`${field}.url`, `"${raw}" is not an http(s) URL`);
  }
  if (!name) return undefined;
  return { name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

function readList(r: FieldReader, value: unknown, field: string): unknown[] | undefined {
  if (!Array.isArray(value)) return r.fail(field, "must be a list");
  return value;
}

function readLength(r: FieldReader, value: unknown, field: string): number | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    return r.fail(field, "must be a whole number of bytes");
  }
  return value;
}

function readImage(r: FieldReader, value: unknown, base: string): ArticleImage | undefined {
  const obj: Record<string, unknown> = typeof value === "string" ? { url: value } : (value as Record<string, unknown>);
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return r.fail("image", "must be a URL or {url, type?, length?, alt?}");
  for (const key of Object.keys(obj)) {
    if (!["url", "type", "length", "alt"].includes(key)) r.fail(`image.${key}`, "unknown field");
  }
  const raw = r.text(obj.url, "image.url");
  if (raw === undefined) return undefined;
  const url = resolveUrl(raw, base);
  if (!url) return r.fail("image.url", `"${raw}" is not an http(s) URL`);
  const type = obj.type === undefined ? mediaTypeFromUrl(url) : normaliseMediaType(String(obj.type));
  if (!type) {
    return r.fail("image.type", obj.type === undefined ? "cannot be inferred from the URL; give it" : `"${String(obj.type)}" is not a media type`);
  }
  if (!type.startsWith("image/")) return r.fail("image.type", `"${type}" is not an image type`);
  const length = obj.length === undefined ? undefined : readLength(r, obj.length, "image.length");
  const alt = obj.alt === undefined ? undefined : r.text(obj.alt, "image.alt");
  return { url, type, ...(length !== undefined ? { length } : {}), ...(alt ? { alt } : {}) };
}

function readEnclosure(r: FieldReader, value: unknown, i: number, base: string): Enclosure | undefined {
  const field = `enclosures[${i}]`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return r.fail(field, "must be {url, type, length}");
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!["url", "type", "length"].includes(key)) r.fail(`${field}.${key}`, "unknown field", ["enclosures", i]);
  }
  const raw = typeof obj.url === "string" ? obj.url : undefined;
  const url = raw === undefined ? undefined : resolveUrl(raw, base);
  if (!url) r.fail(`${field}.url`, raw === undefined ? "is required" : `"${raw}" is not an http(s) URL`, ["enclosures", i]);
  const type = typeof obj.type === "string" ? normaliseMediaType(obj.type) : undefined;
  if (!type) r.fail(`${field}.type`, obj.type === undefined ? "is required" : `"${String(obj.type)}" is not a media type`, ["enclosures", i]);
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
    const e = error as { reason?: string; message: string; mark?: { line: number } };
    throw new RecordError(file, "front matter", `is not valid YAML: ${e.reason ?? e.message.split("\n")[0]}`, e.mark ? e.mark.line + 2 : undefined);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new RecordError(file, "front matter", "must be a YAML mapping of fields", 2);
  }
  const raw = data as Record<string, unknown>;
  const r = new FieldReader(file, yaml_, 1);

  if (!SLUG.test(slug)) {
    r.errors.push(new RecordError(file, "slug", `"${slug}" must be lower-case letters, digits and single hyphens (file name <slug>.md)`));
  }
  for (const key of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(key)) r.fail(key, `unknown field${suggestion(key)}`);
  }
  if (raw.draft !== undefined && typeof raw.draft !== "boolean") r.fail("draft", "must be true or false");

  const title = raw.title === undefined ? r.fail("title", "is required") : r.text(raw.title, "title");
  const readDate = (field: "published" | "updated"): Date | undefined => {
    const value = raw[field];
    if (value === undefined) return field === "published" ? r.fail(field, "is required") : undefined;
    if (typeof value !== "string") return r.fail(field, "must be an ISO 8601 date-time (quote it)");
    const parsed = parseRecordDate(value.trim(), site.timeZone);
    return typeof parsed === "string" ? r.fail(field, parsed) : parsed;
  };
  const published = readDate("published");
  let updated = readDate("updated");
  if (published && updated && updated.getTime() <= published.getTime()) {
    updated = r.fail("updated", "must be later than published");
  }
  const summary = raw.summary === undefined ? undefined : r.text(raw.summary, "summary");
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
    if (lang && !isLanguageTag(lang)) r.fail("language", `"${lang}" is not a BCP 47 language tag`);
    else if (lang) language = lang;
  }
  const image = raw.image === undefined ? undefined : readImage(r, raw.image, site.baseUrl);
  const enclosuresRaw = raw.enclosures === undefined ? [] : readList(r, raw.enclosures, "enclosures") ?? [];
  const enclosures = enclosuresRaw.map((e, i) => readEnclosure(r, e, i, site.baseUrl)).filter((e): e is Enclosure => !!e);

  let id: string | undefined;
  if (raw.id !== undefined) {
    id = r.text(raw.id, "id");
    // The id must read identically in RSS guid, Atom id and JSON id, so only canonical absolute URIs pass.
    if (id && !isCanonicalUri(id)) id = r.fail("id", `"${id}" must be an absolute URI in canonical form (e.g. tag:example.com,2022-06-29:slug)`);
  } else if (published) {
    id = `tag:${site.idDomain},${localDate(published, site.timeZone)}:${slug}`;
  }

  const markdown = stripForbiddenXmlChars(body).trim();
  if (markdown === "") r.errors.push(new RecordError(file, "body", "is empty: an article needs text after the front matter", bodyLine));
  const url = new URL(`items/${slug}`, site.baseUrl).href;
  const rendered = markdown === "" ? undefined : renderWithinLimits(r, file, markdown, url, bodyLine + leadingLines(body));

  if (r.errors.length > 0) return { ok: false, errors: r.errors };
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
      ...(summary ? { summary } : {}),
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
    r.errors.push(new RecordError(file, "body", error.problem, line));
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
