import type { ArticleMeta } from "../../core/article.js";
import { positionOf, scopeKeysOf } from "../../core/change-stamps.js";
import type { SiteConfig } from "../../core/config.js";
import { parseRecord, type ParseResult } from "../../core/record.js";
import { tombstoneOf } from "../../core/tombstone.js";
import { IdTakenError, type Publisher } from "../../http/publish-api.js";
import type { SqlDriver, SqlStatement } from "./driver.js";
import { articleOfRow, deleteArticle, isVersionConflict, leaveScopes, metaOfRow, moveVersion, nextVersion, recordName, writeArticle, writeHeldBack, writeRecord, writeTombstone } from "./rows.js";
import { isHeldBack } from "../../core/embargo.js";
import { heldBackOf } from "./promote.js";
import { storedVersion } from "./sql-listings.js";

/** Attempts of one write while other writers keep moving the version first. */
const MAX_ATTEMPTS = 50;

export interface SqlPublisherOptions {
  /** The clock for change stamps and withdrawals. */
  now: () => Date;
  /** Digest of a record's bytes (recordDigest on Node: base64 SHA-256). */
  digest: (bytes: Uint8Array) => Promise<string> | string;
  /** Where a record is parsed (a worker thread on Node); in line by default. */
  parse?: (file: string, bytes: Uint8Array, site: SiteConfig) => Promise<ParseResult>;
  /** Told after each committed change (WebSub, the server's Listings). */
  onChange?: (change: { slug: string; before?: ArticleMeta; after?: ArticleMeta }) => void;
}

function randomTail(): string {
  return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The article stored at a slug, with the scope keys it was listed under. */
async function storedArticle(driver: SqlDriver, slug: string): Promise<{ meta: ArticleMeta; scopes: string[] } | undefined> {
  const [row] = await driver.all({ sql: "SELECT meta, changed_ms, listed_ms, scope_keys FROM articles WHERE slug = ?", params: [slug] });
  return row ? { meta: metaOfRow(row), scopes: JSON.parse(row.scope_keys as string) as string[] } : undefined;
}

/**
 * The publish API over an SQL store. Each PUT and DELETE is one transaction
 * (driver.batch): the record's bytes, its derived rows, the withdrawal taken
 * back or left, the scopes it left and a new content version, all or
 * nothing, and it resolves only once committed. What a write decides (was
 * the slug new? who holds the id? what did it leave?) it reads first, and
 * its batch begins by moving the version it read (moveVersion): when any
 * other writer, in this process or another (the CLI, another isolate on
 * D1), committed in between, the batch fails whole and the write is worked
 * out again. So of concurrent creations of one slug exactly one is told
 * `created`, and no write is lost under another. Writes of this process go
 * one at a time, so they do not retry against each other.
 */
export function sqlPublisher(driver: SqlDriver, site: SiteConfig, options: SqlPublisherOptions): Publisher {
  const parse = options.parse ?? (async (file: string, bytes: Uint8Array, s: SiteConfig) => parseRecord(file, bytes, s));
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };
  /** Runs `plan` (reads, then the batch to commit, or an answer with nothing to commit) until its batch commits over the version it read. */
  const commit = async <T>(plan: (version: string, next: string) => Promise<{ statements?: SqlStatement[]; result: T }>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      const version = await storedVersion(driver);
      const next = nextVersion(version, randomTail());
      const { statements, result } = await plan(version, next);
      if (!statements) return result;
      try {
        await driver.batch([moveVersion(version, next), ...statements]);
        return result;
      } catch (error) {
        if (!isVersionConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  };
  const notify = (change: { slug: string; before?: ArticleMeta; after?: ArticleMeta }) => {
    try {
      options.onChange?.(change);
    } catch {
      // A listener's failure is not the write's: it is committed.
    }
  };

  return {
    check: (file, bytes) => parse(file, bytes, site),
    heldBack: () => heldBackOf(driver),
    async read(slug) {
      const [row] = await driver.all({ sql: "SELECT bytes FROM records WHERE name = ?", params: [recordName(slug)] });
      return row ? (row.bytes as Uint8Array) : undefined;
    },
    async list(page) {
      // One range of the records' primary key, after the cursor's name.
      const rows = await driver.all({ sql: "SELECT name FROM records WHERE name > ? ORDER BY name LIMIT ?", params: [page.after === undefined ? "" : recordName(page.after), page.limit] });
      return rows.map((r) => (r.name as string).replace(/\.md$/, ""));
    },
    put(slug, bytes, checked) {
      return serially(async () => {
        const name = recordName(slug);
        // The API's parse of these bytes under this name (through `check`, so with this site config) is this parse.
        const parsed = checked?.file === name ? checked.result : await parse(name, bytes, site);
        // The API validated these very bytes; a store asked directly refuses them the same way.
        if (!parsed.ok) throw new Error(`${name} is not a valid record: ${parsed.errors.map((e) => e.message).join("; ")}`);
        const article = "article" in parsed ? { ...parsed.article, file: name } : undefined;
        const sha = await options.digest(bytes);
        let change: { before?: ArticleMeta; after?: ArticleMeta } = {};
        const outcome = await commit(async () => {
          const [old] = await driver.all({ sql: "SELECT sha FROM records WHERE name = ?", params: [name] });
          if (article) {
            const [holder] = await driver.all({ sql: "SELECT slug, meta, changed_ms, listed_ms FROM articles WHERE id = ?", params: [article.id] });
            if (holder && holder.slug !== slug) throw new IdTakenError(article.id, holder.slug as string, metaOfRow(holder).file);
            // An embargoed article holds its id too (it will be shown under it).
            const [waiting] = await driver.all({ sql: "SELECT slug FROM embargoed WHERE id = ? AND slug <> ?", params: [article.id, slug] });
            if (waiting) throw new IdTakenError(article.id, waiting.slug as string, recordName(waiting.slug as string));
          }
          // The same bytes again: nothing to change.
          if (old && old.sha === sha) return { result: { created: false } };
          const before = await storedArticle(driver, slug);
          const now = options.now();
          const statements: SqlStatement[] = [writeRecord(name, bytes, sha)];
          if (article && isHeldBack(article, now.getTime())) {
            // Held back (core/embargo.ts): stored now, shown at its instant (promote.ts); until then as if absent.
            statements.push(...writeHeldBack(article));
            if (before) statements.push(...leaveScopes(before.scopes, now));
            change = before ? { before: before.meta } : {};
            return { statements, result: { created: !old } };
          }
          if (article) {
            const scopes = scopeKeysOf(article);
            // change-stamps.ts: `listed` moves when it joins a scope or moves in the listings, `changed` on any change.
            const relisted = !before || positionOf(before.meta) !== positionOf(article) || before.scopes.join("\n") !== scopes.join("\n");
            statements.push(...writeArticle(article, sha, { changed: now, listed: relisted ? now : before.meta.listed! }));
            if (before) statements.push(...leaveScopes(before.scopes.filter((k) => !scopes.includes(k)), now));
          } else if (before) {
            // Made a draft: it leaves its scopes, and leaves no withdrawal (it was not withdrawn).
            statements.push(...deleteArticle(slug), ...leaveScopes(before.scopes, now));
          }
          change = { ...(before ? { before: before.meta } : {}), ...(article ? { after: article } : {}) };
          return { statements, result: { created: !old } };
        });
        if (change.before || change.after) notify({ slug, ...change });
        return outcome;
      });
    },
    remove(slug, reason) {
      return serially(async () => {
        const name = recordName(slug);
        let before: ArticleMeta | undefined;
        const removed = await commit(async () => {
          const [old] = await driver.all({ sql: "SELECT sha FROM records WHERE name = ?", params: [name] });
          if (!old) return { result: false };
          const [row] = await driver.all({ sql: "SELECT meta, body, changed_ms, listed_ms, scope_keys FROM articles WHERE slug = ?", params: [slug] });
          const now = options.now();
          // An embargoed record's row goes with it (it was never shown: no withdrawal).
          const statements: SqlStatement[] = [{ sql: "DELETE FROM records WHERE name = ?", params: [name] }, { sql: "DELETE FROM embargoed WHERE slug = ?", params: [slug] }];
          before = row ? articleOfRow(row) : undefined;
          if (row && before) {
            statements.push(...deleteArticle(slug), ...writeTombstone(tombstoneOf(before, now, reason)), ...leaveScopes(JSON.parse(row.scope_keys as string) as string[], now));
          }
          return { statements, result: true };
        });
        if (removed && before) notify({ slug, before });
        return removed;
      });
    },
  };
}
