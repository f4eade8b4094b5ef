import type { Article, ArticleMeta } from "./article.js";
import type { RecordError } from "./errors.js";
import type { Scope, ScopeKind } from "./scopes.js";
import type { Tombstone } from "./tombstone.js";

/** A scope other than the whole site. */
export type NamedScopeKind = Exclude<ScopeKind, "site">;

/** Feed order: by publication (the default), or by latest change (site.orderBy "updated"). */
export type FeedOrder = "published" | "updated";

/** What a scope holds, in one answer (its page and feeds need all of it). */
export interface ScopeStats {
  /** Live articles in the scope. */
  total: number;
  /** `published` of its oldest and newest article, ms since the epoch; undefined when it has none. */
  oldest?: number;
  newest?: number;
  /**
   * When its listing last moved (change-stamps.ts): the newest `listed` of
   * its articles, or the last time one left it, whichever is later; epoch 0
   * when the store keeps no stamps and nothing left.
   */
  listingMoved: Date;
  /** When an article last left it (removed, withdrawn, edited out); undefined if never or unknown. */
  left?: Date;
  /**
   * Optional (a store that reads it with the stats anyway): `published` of
   * the scope's (size + 1)-th newest article, undefined when it has no more
   * than `size`. With size the archive page size, this alone says which
   * periods around the newest article are split (archive.ts), so a feed's
   * prev-archive link needs no count.
   */
  pastPage?: { size: number; published?: number };
}

/** The site as a whole, for the directory of every feed (OPML, /feeds). */
export interface SiteStats {
  /** Newest `updated ?? published` of any live article (epoch 0 when none). */
  newestChange: Date;
  /** When any scope's listing last moved (epoch 0 when unknown). */
  anyListingMoved: Date;
}

/**
 * The articles a site serves, as the HTTP layer asks for them: one bounded,
 * indexed question at a time, so no answer needs the whole archive in
 * memory. Every store implements it — in memory over a parsed folder
 * (memory-listings.ts), in SQL on SQLite and D1 — and every implementation
 * passes the contract suite (test/storage/listings-contract.ts), which
 * holds them to the same answers for the same records.
 *
 * One object answers for one content version: a change yields a new
 * object (caches key on object identity and on `version`). Lists are newest
 * first in the order of compareNewestFirst (published descending, then id
 * in code-unit order), or compareLatestChangeFirst for "updated".
 */
export interface Listings {
  /** Changes whenever any answer below could change. */
  readonly version: string;
  /**
   * When the next article held back (an embargo or a future `published`:
   * embargo.ts) may be shown, ms since the epoch; absent when none is. Every
   * answer leaves held-back articles out; from this instant on they may be
   * stale, so no cache keeps them past it (and the store moves its version then).
   */
  readonly nextLift?: number;
  /** Records the store could not use, each naming its file and field (a store that refuses them at write time has none). */
  readonly errors: readonly RecordError[];
  /** The live article at this slug (an exact, already validated slug). */
  find(slug: string): Promise<ArticleMeta | undefined>;
  /** The full articles of these entries (as returned by this object), in the order given. */
  load(entries: readonly ArticleMeta[]): Promise<Article[]>;
  /**
   * The scope of this kind and slug, labelled as scopesOf labels it
   * (live names first, the first in code-unit order), including a scope
   * only withdrawn articles were filed under; undefined when none.
   */
  scope(kind: NamedScopeKind, slug: string): Promise<Scope | undefined>;
  /** Every scope of a kind, sorted by slug: with live articles, plus (`withWithdrawn`) those only withdrawals filed under. */
  scopes(kind: NamedScopeKind, withWithdrawn: boolean): Promise<Scope[]>;
  stats(scope: Scope): Promise<ScopeStats>;
  site(): Promise<SiteStats>;
  /** The scope's newest `n` articles in feed order. */
  newest(scope: Scope, n: number, order: FeedOrder): Promise<ArticleMeta[]>;
  /**
   * How many of the scope's articles have `published` in [from, to) (ms
   * since the epoch); with `atMost`, counting stops there (min(count,
   * atMost)), so "more than a page?" costs a page, not the period.
   */
  count(scope: Scope, from: number, to: number, atMost?: number): Promise<number>;
  /**
   * The scope's articles with `published` in [from, to), oldest first (the
   * exact reverse of newest-first: published ascending, then id descending),
   * skipping the `skip` oldest of them, at most `limit` (an archive page).
   */
  range(scope: Scope, from: number, to: number, skip: number, limit: number): Promise<ArticleMeta[]>;
  /** Withdrawals announced in a scope's feeds, newest withdrawal first (compareTombstones), at most `n`. */
  withdrawals(scope: Scope, n: number): Promise<Tombstone[]>;
  /** The withdrawal the article page of `slug` answers 410 with: the latest, and only when no live article has the slug. */
  withdrawn(slug: string): Promise<Tombstone | undefined>;
}
