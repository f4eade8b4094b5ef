import { Hono } from "hono";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import { MAX_RECORD_BYTES, parseRecord, slugProblem, type ParseResult } from "../core/record.js";
import { recordText } from "../core/record-writer.js";
import { isSlug } from "../core/slug.js";
import { visibleFrom } from "../core/embargo.js";
import { killReason } from "../core/tombstone.js";
import { StorageFullError } from "../storage/storage-full-error.js";
import { readLimitedBody } from "./body-limit.js";
import { DOCUMENT_TYPES, documentFormat, type DocumentAction, type DocumentReader, type Refusal } from "./document-types.js";

/** Where the publish API reads and writes: a store plus whatever must follow a change (catalog refresh, WebSub ping). */
export interface Publisher {
  /**
   * Writes the record whole (never a torn file) and durably; resolves whether
   * this call created it (of concurrent writes of a new slug, exactly one).
   * Rejects when it is not stored (StorageFullError: no space left).
   */
  put(slug: string, bytes: Uint8Array, checked?: Checked): Promise<{ created: boolean }>;
  /**
   * Removes the record and leaves a tombstone (with the reason given, if
   * any); resolves false when there was none. Rejects, the record still
   * there, when that fails.
   */
  remove(slug: string, reason?: string): Promise<boolean>;
  /** The record's bytes as stored (at most MAX_RECORD_BYTES + 1 of them), or undefined. */
  read(slug: string): Promise<Uint8Array | undefined>;
  /**
   * A page of the stored records' slugs, in the order of their record names
   * (`<slug>.md`, code units): those after `after`'s, at most `limit`. A
   * store answers it without reading the others (an index range in SQL).
   */
  list(page: ListPage): Promise<string[]>;
  /** Parses a record without storing it, where the publisher can do so off the serving thread; else it is parsed in line. */
  check?(file: string, bytes: Uint8Array): Promise<ParseResult>;
  /**
   * The stored articles held back (embargo.ts) and when each may be shown
   * (slug → ms): GET /api/items leaves out those still held back, as the
   * site does. A store without it lists every record.
   */
  heldBack?(): Promise<ReadonlyMap<string, number>>;
}

/**
 * What the API's own parse of a PUT found (Publisher.check or parseRecord,
 * of these very bytes as `<slug>.md`), handed to Publisher.put so a store
 * that would parse them again the same way (for the same site config) takes
 * this result instead: a publish parses and renders its body once.
 */
export interface Checked {
  file: string;
  result: ParseResult;
}

/** Which page of slugs Publisher.list answers. */
export interface ListPage {
  after?: string;
  limit: number;
}

/** Record names order by `<slug>.md` (as a store's index of names does), not by the slug: "a-b.md" comes before "a.md". */
export const byRecordName = (a: string, b: string) => {
  const [x, y] = [`${a}.md`, `${b}.md`];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A page of `slugs` (any order), as Publisher.list answers: for stores that hold every name anyway. */
export function pageOf(slugs: readonly string[], page: ListPage): string[] {
  const after = page.after === undefined ? undefined : `${page.after}.md`;
  return slugs.filter((s) => after === undefined || `${s}.md` > after).sort(byRecordName).slice(0, page.limit);
}

/** A write refused because another live article holds the record's id: the holder keeps it. */
export class IdTakenError extends Error {
  override readonly name = "IdTakenError";
  constructor(
    readonly id: string,
    /** Slug and record file of the article holding the id. */
    readonly holderSlug: string,
    readonly holderFile: string,
  ) {
    super(`"${id}" is already used by ${holderFile}`);
  }
}

export interface PublishApiOptions {
  /** Bearer token (PUBLISH_TOKEN). The API exists only when one is set. */
  token: string;
  publisher: Publisher;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /**
   * Reads IPTC ninjs and NewsML-G2 documents (publish-documents.ts
   * readDocument); without it those types are 415 like any other.
   */
  documents?: DocumentReader;
  /** The clock, ms since the epoch: which records are still embargoed, and what an agency document's embargo is compared with (the app passes its own). */
  now?: () => number;
}

/** GET /api/items: records per page unless `limit` says otherwise, and the most `limit` may ask for. */
export const LIST_PAGE = { default: 100, max: 1000 } as const;

const JSON_TYPE = "application/json; charset=utf-8";
const RECORD_TYPES = "application/json, text/markdown";
/** GET /api/items/<slug> of a record still embargoed: when it may be shown (ISO 8601). */
export const EMBARGO_HEADER = "Embargoed-Until";
const MARKDOWN_TYPE = "text/markdown; charset=utf-8";
const encoder = new TextEncoder();

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body)}\n`, { status, headers: { "Content-Type": JSON_TYPE, "Cache-Control": "no-store", ...headers } });
}

const fieldErrors = (errors: readonly { field: string; problem: string }[]) =>
  json(422, { errors: errors.map((e) => ({ field: e.field, message: e.problem })) });

async function digest(bytes: Uint8Array): Promise<Uint8Array> {
  // Stores hand over plain (not shared) buffers.
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** Compares digests of both strings byte by byte without an early exit: the time does not depend on where they differ. */
async function sameToken(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(encoder.encode(given)), digest(encoder.encode(expected))]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * Every call into the store's write and remove goes through here: the one
 * place where a failure of the store becomes an answer of its own. A full
 * store is 507 (nothing changed; retry once there is room); an id another
 * article holds is 409 naming it; any other failure is rethrown, so the app
 * logs it and answers 500. (`idTaken: "throw"`: the caller answers an id
 * held elsewhere itself.)
 */
async function throughStore<T>(site: SiteConfig, work: () => Promise<T>, idTaken: "answer" | "throw" = "answer"): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof StorageFullError) return { ok: false, response: json(507, { error: "storage full: the change was not saved; retry once there is room" }) };
    if (error instanceof IdTakenError && idTaken === "answer") {
      const holder = { slug: error.holderSlug, url: new URL(`items/${error.holderSlug}`, site.baseUrl).href };
      return { ok: false, response: json(409, { errors: [{ field: "id", message: error.message }], holder }) };
    }
    throw error;
  }
}

/** A request body as JSON, strictly UTF-8; undefined when it is not. */
function jsonOf(bytes: Uint8Array): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) };
  } catch {
    return undefined;
  }
}

const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A kill's body: at most this many bytes (a reason of MAX_REASON_LENGTH characters, JSON-escaped, fits). */
const KILL_BODY_BYTES = 16 * 1024;

/** What a DELETE says: nothing (no reason), or {"reason": "..."} as JSON; anything else is the answer to send. */
async function readKillBody(request: Request): Promise<{ reason?: string } | { response: Response }> {
  const body = await readLimitedBody(request, KILL_BODY_BYTES);
  if (!body.ok) return { response: body.response };
  if (body.bytes.length === 0) return {};
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return { response: json(415, { error: "a DELETE body is JSON: {\"reason\": \"...\"}" }) };
  const parsed = jsonOf(body.bytes);
  if (!parsed) return { response: json(400, { error: "the body is not JSON (UTF-8)" }) };
  if (!isJsonObject(parsed.value)) return { response: fieldErrors([{ field: "(body)", problem: 'must be an object: {"reason": "..."}' }]) };
  const unknown = Object.keys(parsed.value).filter((k) => k !== "reason");
  if (unknown.length) return { response: fieldErrors(unknown.map((k) => ({ field: k, problem: "unknown field (a DELETE takes only reason)" }))) };
  const given = parsed.value.reason;
  if (given === undefined) return {};
  const checked = killReason(given);
  return "problem" in checked ? { response: fieldErrors([{ field: "reason", problem: checked.problem }]) } : { reason: checked.reason };
}

/**
 * The record a PUT asks for, as the bytes that will be stored: the body
 * itself for text/markdown (the record file), or the file made from a JSON
 * object's fields and `body`. Anything that cannot become a record is the
 * answer to send instead.
 */
function recordBytes(contentType: string | undefined, body: Uint8Array, documents: boolean): Outcome<Uint8Array> {
  const [type = "", ...params] = (contentType ?? "").toLowerCase().split(";").map((p) => p.trim());
  const charset = params.find((p) => p.startsWith("charset="))?.slice(8).replace(/^"|"$/g, "");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") return { ok: false, response: json(415, { error: `charset "${charset}": send UTF-8` }) };
  if (type === "text/markdown") return { ok: true, value: body };
  // No Content-Type: JSON, as the API took it before text/markdown was offered.
  if (type !== "" && type !== "application/json") {
    const also = documents ? `, or an IPTC document: ${DOCUMENT_TYPES.join(", ")}` : "";
    return {
      ok: false,
      response: json(415, { error: `send application/json (the fields and body) or text/markdown (the record file)${also}` }, { Accept: documents ? `${RECORD_TYPES}, ${DOCUMENT_TYPES.join(", ")}` : RECORD_TYPES }),
    };
  }
  const input = jsonOf(body);
  if (!input) return { ok: false, response: json(400, { error: "the body must be a JSON object (UTF-8)" }) };
  if (!isJsonObject(input.value)) return { ok: false, response: json(400, { error: "the body must be a JSON object" }) };
  const { body: markdown, ...fields } = input.value;
  if (typeof markdown !== "string") return { ok: false, response: fieldErrors([{ field: "body", problem: "is required: the article text in Markdown" }]) };
  try {
    return { ok: true, value: encoder.encode(recordText(fields, markdown)) };
  } catch (error) {
    if (error instanceof RecordError) return { ok: false, response: fieldErrors([error]) };
    throw error;
  }
}

/** `?after=<slug>&limit=<n>` of GET /api/items, or the 400 that says what is wrong. */
function listQuery(url: URL): Outcome<{ after?: string; limit: number }> {
  const after = url.searchParams.get("after") ?? undefined;
  const limitText = url.searchParams.get("limit");
  const limit = limitText === null ? LIST_PAGE.default : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= LIST_PAGE.max)) return { ok: false, response: json(400, { error: `limit must be a whole number from 1 to ${LIST_PAGE.max}` }) };
  if (after !== undefined && !isSlug(after)) return { ok: false, response: json(400, { error: "after must be a slug (the last one of the previous page)" }) };
  return { ok: true, value: { ...(after !== undefined ? { after } : {}), limit } };
}

/**
 * The write API, behind a bearer token (401 without or with a wrong one):
 * - PUT /api/items/<slug>: JSON (the record's fields plus `body` in
 *   Markdown) or text/markdown (the record file itself). What is validated
 *   is exactly the bytes that will be stored. 201 created / 200 replaced,
 *   413 over the body limit, 415 another type, 422 with every field error.
 *   Or an IPTC ninjs or NewsML-G2 document (publish-documents.ts): usable
 *   writes the record `wirefeed import` would, canceled withdraws the
 *   article as a DELETE does (204, or 404), withheld is 422.
 * - POST /api/items: such a document at the slug it names (postDocument).
 * - DELETE /api/items/<slug>: 204, or 404.
 * - GET /api/items/<slug>: the record as stored (text/markdown), or 404.
 * - GET /api/items?after=<slug>&limit=<n>: slugs in record-name order, a
 *   page at a time (the store reads one page), with the next page's URL
 *   (`next`, and a Link header).
 * 409 when another article holds the record's id (naming it; the holder keeps it).
 * 507 when the store is full (nothing changed; retry once there is room).
 * Every answer but 204 and a record's bytes is JSON.
 */
export function publishApi(site: SiteConfig, options: PublishApiOptions): Hono {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  /** `bytes` parsed as the server will read them at `<slug>.md` (off the serving thread where the publisher can). */
  const parseAt = async (slug: string, bytes: Uint8Array): Promise<ParseResult> =>
    options.publisher.check ? options.publisher.check(`${slug}.md`, bytes) : parseRecord(`${slug}.md`, bytes, site);
  const documents = options.documents;
  /** What a PUT takes (415 answers say so in Accept, RFC 9110 15.5.16); a POST takes the documents alone. */
  const putTypes = documents ? `${RECORD_TYPES}, ${DOCUMENT_TYPES.join(", ")}` : RECORD_TYPES;
  const postTypes = DOCUMENT_TYPES.join(", ");
  const api = new Hono();
  const apiUrl = (path: string) => new URL(`api/${path}`, site.baseUrl).href;
  const now = options.now ?? Date.now;
  /** The instant an embargoed article may be shown, ISO, or undefined when it is not held back now. */
  const liftOf = (result: ParseResult): string | undefined => {
    if (!result.ok || !("article" in result)) return undefined;
    const from = visibleFrom(result.article);
    return from > now() ? new Date(from).toISOString() : undefined;
  };

  api.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match || !(await sameToken(match[1]!, options.token))) {
      return json(401, { error: "a valid bearer token is required" }, { "WWW-Authenticate": 'Bearer realm="wirefeed"' });
    }
    await next();
  });

  api.get("/items", async (c) => {
    const query = listQuery(new URL(c.req.url));
    if (!query.ok) return query.response;
    const { after, limit: size } = query.value;
    // Asked a page (plus one, to know whether there is more) at a time; names that are not slugs are skipped,
    // and so are articles still embargoed (the listing shows what the site does, drafts aside).
    const page: string[] = [];
    const held = (await options.publisher.heldBack?.()) ?? new Map<string, number>();
    const at = now();
    let cursor = after;
    for (;;) {
      const want = size + 1 - page.length;
      const got = await options.publisher.list({ ...(cursor !== undefined ? { after: cursor } : {}), limit: want });
      page.push(...got.filter((slug) => isSlug(slug) && !((held.get(slug) ?? -Infinity) > at)));
      if (got.length < want || page.length > size) break;
      cursor = got.at(-1)!;
    }
    const more = page.length > size;
    page.length = Math.min(page.length, size);
    const next = more ? apiUrl(`items?after=${page.at(-1)!}&limit=${size}`) : null;
    return json(200, { items: page.map((slug) => ({ slug, href: apiUrl(`items/${slug}`) })), next }, next ? { Link: `<${next}>; rel="next"` } : {});
  });

  api.get("/items/:slug", async (c) => {
    const slug = c.req.param("slug");
    const bytes = isSlug(slug) ? await options.publisher.read(slug) : undefined;
    if (!bytes) return json(404, { error: "no such record" });
    // The store hands over at most one byte past the limit: not the record, so not sent as if it were.
    if (bytes.length > MAX_RECORD_BYTES) return json(409, { error: `the stored record is larger than the limit of ${MAX_RECORD_BYTES} bytes and is not served; replace it with PUT` });
    const etag = `"${btoa(String.fromCharCode(...(await digest(bytes)))).replace(/=+$/, "")}"`;
    // An embargoed record is the editor's to read: the site 404s until the instant this header names.
    const lift = liftOf(await parseAt(slug, bytes));
    const headers: Record<string, string> = { "Content-Type": MARKDOWN_TYPE, "Cache-Control": "no-store", ETag: etag, ...(lift ? { [EMBARGO_HEADER]: lift } : {}) };
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
  });

  /**
   * Stores `bytes` at `slug` once they parse as the record the server will
   * read: 201 created (Location) or 200 replaced, with `extra` in the answer.
   */
  async function storeRecord(slug: string, bytes: Uint8Array, extra: Record<string, unknown> = {}, parsed?: ParseResult, idTaken: "answer" | "throw" = "answer"): Promise<Response> {
    if (bytes.length > MAX_RECORD_BYTES) {
      return fieldErrors([{ field: "(record)", problem: `would be ${bytes.length} bytes as stored (front matter and body); the limit is ${MAX_RECORD_BYTES}` }]);
    }
    // The very bytes that will be stored, parsed as the server will read them.
    const result = parsed ?? (await parseAt(slug, bytes));
    if (!result.ok) return fieldErrors(result.errors);
    const stored = await throughStore(site, () => options.publisher.put(slug, bytes, { file: `${slug}.md`, result }), idTaken);
    if (!stored.ok) return stored.response;
    const { created } = stored.value;
    const url = new URL(`items/${slug}`, site.baseUrl).href;
    const id = "article" in result ? result.article.id : undefined;
    const lift = liftOf(result);
    return json(created ? 201 : 200, { slug, url, ...(id ? { id } : { draft: true }), ...(lift ? { embargoedUntil: lift } : {}), ...extra }, created ? { Location: url } : {});
  }

  /** A kill through the store: 204, or 404 when there is no such article. */
  async function kill(slug: string, reason: string | undefined): Promise<Response> {
    const removed = await throughStore(site, () => options.publisher.remove(slug, reason));
    if (!removed.ok) return removed.response;
    if (!removed.value) return json(404, { error: "no such article" });
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  }

  const refusal = (r: Refusal, headers: Record<string, string> = {}) => json(r.status, r.body, r.status === 415 ? { Accept: putTypes, ...headers } : headers);

  /** An agency document's action at its slug: write the record it makes, or withdraw the article (a canceled story). */
  async function applyDocument(action: Exclude<DocumentAction, { kind: "refused" }>, slug: string): Promise<Response> {
    if (action.kind === "kill") return kill(slug, action.reason);
    const bytes = action.bytes(slug);
    if (!(bytes instanceof Uint8Array)) return refusal(bytes);
    return storeRecord(slug, bytes, { format: action.format, notes: action.notes });
  }

  /** The id of the article stored at `slug`, or undefined (none there, a draft, or a record that does not parse). */
  async function storedId(slug: string): Promise<string | undefined> {
    const bytes = await options.publisher.read(slug);
    if (!bytes || bytes.length > MAX_RECORD_BYTES) return undefined;
    const parsed = await parseAt(slug, bytes);
    return parsed.ok && "article" in parsed ? parsed.article.id : undefined;
  }

  const anotherStory = (slug: string, id: string) =>
    json(409, {
      errors: [{ field: "slug", message: `the document names slug "${slug}", which holds another story (id ${id}); PUT it to /api/items/<slug> with a slug of your own` }],
      holder: { slug, url: new URL(`items/${slug}`, site.baseUrl).href },
    });

  /** POST's document at the slug it names, as described at api.post below. */
  async function postDocument(action: Exclude<DocumentAction, { kind: "refused" }>): Promise<Response> {
    const { slug } = action;
    if (action.kind === "kill") {
      const held = action.id === undefined ? undefined : await storedId(slug);
      if (held !== undefined && held !== action.id) return anotherStory(slug, held);
      return kill(slug, action.reason);
    }
    const bytes = action.bytes(slug);
    if (!(bytes instanceof Uint8Array)) return refusal(bytes);
    const parsed = await parseAt(slug, bytes);
    if (!parsed.ok) return fieldErrors(parsed.errors);
    const id = "article" in parsed ? parsed.article.id : undefined;
    const held = await storedId(slug);
    if (held !== undefined && id !== undefined && held !== id) return anotherStory(slug, held);
    const extra = { format: action.format, notes: action.notes };
    try {
      return await storeRecord(slug, bytes, extra, parsed, "throw");
    } catch (error) {
      // Another slug holds the document's id: that article is this story; the new version replaces it there.
      if (!(error instanceof IdTakenError) || !isSlug(error.holderSlug) || error.holderSlug === slug) throw error;
      const moved = action.bytes(error.holderSlug);
      return moved instanceof Uint8Array ? storeRecord(error.holderSlug, moved, extra) : refusal(moved);
    }
  }

  api.put("/items/:slug", async (c) => {
    const slug = c.req.param("slug");
    const badSlug = slugProblem(slug);
    if (badSlug) return fieldErrors([{ field: "slug", problem: badSlug }]);
    const body = await readLimitedBody(c.req.raw, limit);
    if (!body.ok) return body.response;
    const contentType = c.req.header("content-type");
    if (documents && documentFormat(contentType)) {
      const action = documents(contentType!, body.bytes, site, new Date(now()), slug);
      return action.kind === "refused" ? refusal(action.refusal) : applyDocument(action, slug);
    }
    const record = recordBytes(contentType, body.bytes, documents !== undefined);
    if (!record.ok) return record.response;
    return storeRecord(slug, record.value);
  });

  /**
   * POST /api/items: an agency document at the slug it names (its slugline,
   * else its headline). An article already carrying the document's id keeps
   * its slug (a later version whose headline changed replaces it); a slug
   * that holds another story (another id) is 409: PUT it to a slug of your own.
   */
  api.post("/items", async (c) => {
    const contentType = c.req.header("content-type");
    if (!documents) return json(405, { error: "use GET" }, { Allow: "GET, HEAD" });
    if (!documentFormat(contentType)) {
      return json(415, { error: `POST takes an IPTC document: ${postTypes}; a record of your own goes to PUT /api/items/<slug>` }, { Accept: postTypes, "Accept-Post": postTypes });
    }
    const body = await readLimitedBody(c.req.raw, limit);
    if (!body.ok) return body.response;
    const action = documents(contentType!, body.bytes, site, new Date(now()));
    if (action.kind === "refused") return refusal(action.refusal, action.refusal.status === 415 ? { "Accept-Post": postTypes } : {});
    return postDocument(action);
  });

  api.delete("/items/:slug", async (c) => {
    const slug = c.req.param("slug");
    if (!isSlug(slug)) return json(404, { error: "no such article" });
    // A kill may say why: {"reason": "..."} (JSON). No body: a withdrawal without a reason.
    const body = await readKillBody(c.req.raw);
    if ("response" in body) return body.response;
    return kill(slug, body.reason);
  });

  api.all("/items", () =>
    documents ? json(405, { error: "use GET, or POST an IPTC document" }, { Allow: "GET, HEAD, POST", "Accept-Post": postTypes }) : json(405, { error: "use GET" }, { Allow: "GET, HEAD" }),
  );
  api.all("/items/:slug", () => json(405, { error: "use GET, PUT or DELETE" }, { Allow: "GET, HEAD, PUT, DELETE" }));
  api.all("*", () => json(404, { error: "not found" }));
  return api;
}
