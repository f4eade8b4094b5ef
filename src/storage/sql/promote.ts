/**
 * Embargo lifts in the SQL stores: articles held back (`embargoed`, see
 * rows.ts writeHeldBack) whose instant has come are moved into `articles`
 * in one batch that moves the content version over the one it read
 * (moveVersion), so of two promoters (two isolates, the cron and a request,
 * the server and `db load`) exactly one commits and the version moves once;
 * the other finds nothing left to do.
 */
import type { ArticleMeta } from "../../core/article.js";
import type { SiteConfig } from "../../core/config.js";
import { isHeldBack, visibleFrom } from "../../core/embargo.js";
import { parseRecord, type ParseResult } from "../../core/record.js";
import type { SqlDriver, SqlStatement } from "./driver.js";
import { deleteArticle, isVersionConflict, moveVersion, nextVersion, recordName, writeArticle } from "./rows.js";
import { storedVersion } from "./sql-listings.js";

/** Lifts per batch: a D1 batch stays small; more due at once are taken in the next round. */
const LIFTS_PER_BATCH = 50;
const MAX_ATTEMPTS = 50;

export interface PromoteOptions {
  now: () => Date;
  parse?: (file: string, bytes: Uint8Array, site: SiteConfig) => Promise<ParseResult>;
  /** Told of each article let in (WebSub pings it now). */
  onLift?: (article: ArticleMeta) => void;
  log?: (message: string) => void;
}

function randomTail(): string {
  return [...crypto.getRandomValues(new Uint8Array(6))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A D1 database loaded by an older release has no `embargoed` table (nor embargoes) until `d1:load`: no rows. */
function noTableYet(error: unknown): [] {
  if (/no such table: embargoed/.test(String((error as Error)?.message ?? error))) return [];
  throw error;
}

/** Stored articles held back, slug → when each may be shown (Publisher.heldBack). */
export async function heldBackOf(driver: SqlDriver): Promise<Map<string, number>> {
  const rows = await driver.all({ sql: "SELECT slug, lift_ms FROM embargoed" }).catch(noTableYet);
  return new Map(rows.map((r) => [r.slug as string, Number(r.lift_ms)]));
}

/**
 * Lets in every held-back article whose instant is at or before now: its
 * derived rows written with its lift as its change stamps (it changed for
 * readers then, whenever the promoter runs), its id's withdrawal taken back.
 * A held-back article whose id another live article took meanwhile stays
 * out (its row goes; the record stays, as a refused duplicate does).
 * Resolves the articles let in by this call.
 */
export async function promoteDue(driver: SqlDriver, site: SiteConfig, options: PromoteOptions): Promise<ArticleMeta[]> {
  const parse = options.parse ?? (async (file: string, bytes: Uint8Array, s: SiteConfig) => parseRecord(file, bytes, s));
  const lifted: ArticleMeta[] = [];
  for (let attempt = 1; ; attempt++) {
    const version = await storedVersion(driver);
    const now = options.now().getTime();
    const due = await driver
      .all({
        sql: "SELECT e.slug, e.id, r.bytes, r.sha FROM embargoed e LEFT JOIN records r ON r.name = e.slug || '.md' WHERE e.lift_ms <= ? ORDER BY e.lift_ms, e.slug LIMIT ?",
        params: [now, LIFTS_PER_BATCH],
      })
      .catch(noTableYet);
    if (due.length === 0) return lifted;
    const statements: SqlStatement[] = [moveVersion(version, nextVersion(version, randomTail()))];
    const round: ArticleMeta[] = [];
    for (const row of due) {
      const slug = row.slug as string;
      const name = recordName(slug);
      const parsed = row.bytes ? await parse(name, row.bytes as Uint8Array, site) : undefined;
      const article = parsed?.ok && "article" in parsed ? { ...parsed.article, file: name } : undefined;
      if (!article || isHeldBack(article, now)) {
        // The row no longer says what the record does (hand-edited database): it is worked out again from the record.
        statements.push({ sql: "DELETE FROM embargoed WHERE slug = ?", params: [slug] });
        continue;
      }
      const [holder] = await driver.all({ sql: "SELECT slug FROM articles WHERE id = ? AND slug <> ?", params: [article.id, slug] });
      if (holder) {
        options.log?.(`embargo lifted but not shown: ${name}: "${article.id}" is already used by ${recordName(holder.slug as string)}`);
        statements.push(...deleteArticle(slug));
        continue;
      }
      const at = new Date(visibleFrom(article));
      statements.push(...writeArticle(article, row.sha as string, { changed: at, listed: at }));
      round.push(article);
    }
    try {
      await driver.batch(statements);
    } catch (error) {
      if (!isVersionConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      continue;
    }
    for (const a of round) {
      lifted.push(a);
      try {
        options.onLift?.(a);
      } catch {
        // A listener's failure is not the lift's: it is committed.
      }
    }
  }
}
