import { Hono } from "hono";
import type { SiteConfig } from "../core/config.js";
import { parseRecord, SLUG, type ParseResult } from "../core/record.js";
import { recordText } from "../core/record-writer.js";
import { readLimitedBody } from "./body-limit.js";

/** Where the publish API writes: a store plus whatever must follow a change (catalog refresh, WebSub ping). */
export interface Publisher {
  /** Writes the record whole (never a torn file); resolves whether it replaced an existing one. */
  put(slug: string, bytes: Uint8Array): Promise<{ created: boolean }>;
  /** Removes the record and leaves a tombstone; resolves false when there was none. */
  remove(slug: string): Promise<boolean>;
  /** Parses a record without storing it, where the publisher can do so off the serving thread; else it is parsed in line. */
  check?(file: string, text: string): Promise<ParseResult>;
}

export interface PublishApiOptions {
  /** Bearer token (PUBLISH_TOKEN). The API exists only when one is set. */
  token: string;
  publisher: Publisher;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
}

const JSON_TYPE = "application/json; charset=utf-8";
const encoder = new TextEncoder();

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(body)}\n`, { status, headers: { "Content-Type": JSON_TYPE, "Cache-Control": "no-store", ...headers } });
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Compares digests of both strings byte by byte without an early exit: the time does not depend on where they differ. */
async function sameToken(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * PUT /api/items/<slug> (JSON: the record's fields plus `body` in Markdown)
 * and DELETE /api/items/<slug>, behind a bearer token.
 * 401 without or with a wrong token, 413 over the body limit, 422 with every
 * field error, 201 created / 200 replaced / 204 deleted.
 */
export function publishApi(site: SiteConfig, options: PublishApiOptions): Hono {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const api = new Hono();

  api.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match || !(await sameToken(match[1]!, options.token))) {
      return json(401, { error: "a valid bearer token is required" }, { "WWW-Authenticate": 'Bearer realm="wirefeed"' });
    }
    await next();
  });

  api.put("/items/:slug", async (c) => {
    const slug = c.req.param("slug");
    if (!SLUG.test(slug)) return json(422, { errors: [{ field: "slug", message: `"${slug}" must be lower-case letters, digits and single hyphens` }] });
    const body = await readLimitedBody(c.req.raw, limit);
    if (!body.ok) return body.response;
    let input: unknown;
    try {
      input = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body.bytes));
    } catch {
      return json(400, { error: "the body must be a JSON object (UTF-8)" });
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) return json(400, { error: "the body must be a JSON object" });
    const { body: markdown, ...fields } = input as Record<string, unknown>;
    if (typeof markdown !== "string") return json(422, { errors: [{ field: "body", message: "is required: the article text in Markdown" }] });
    const text = recordText(fields, markdown);
    const result = options.publisher.check ? await options.publisher.check(`${slug}.md`, text) : parseRecord(`${slug}.md`, text, site);
    if (!result.ok) return json(422, { errors: result.errors.map((e) => ({ field: e.field, message: e.problem })) });
    const { created } = await options.publisher.put(slug, encoder.encode(text));
    const url = new URL(`items/${slug}`, site.baseUrl).href;
    const id = "article" in result ? result.article.id : undefined;
    return json(created ? 201 : 200, { slug, url, ...(id ? { id } : { draft: true }) }, created ? { Location: url } : {});
  });

  api.delete("/items/:slug", async (c) => {
    const slug = c.req.param("slug");
    if (!SLUG.test(slug) || !(await options.publisher.remove(slug))) return json(404, { error: "no such article" });
    return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
  });

  api.all("/items/:slug", () => json(405, { error: "use PUT or DELETE" }, { Allow: "PUT, DELETE" }));
  api.all("*", () => json(404, { error: "not found" }));
  return api;
}
