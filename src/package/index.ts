/**
 * `wirefeed`: the handler and what a host app or a store's author needs.
 * Runtime-neutral (no `node:*`): the same module on Node, Workers, Bun and Deno.
 * Every name here is public API (test/package/exports.test.ts holds the list).
 */
export { wirefeed, type SiteStore, type WirefeedApp, type WirefeedOptions } from "../wirefeed.js";
export { parseSiteConfig, type Person, type Politeness, type SiteConfig } from "../core/config.js";
export { ConfigError, RecordError } from "../core/errors.js";
export { buildCatalog, type Catalog, type RawRecord } from "../core/catalog.js";
export type { FeedOrder, Listings, NamedScopeKind, ScopeStats, SiteStats } from "../core/listings.js";
export type { Article, ArticleImage, ArticleMeta, Enclosure } from "../core/article.js";
export { SITE_SCOPE, type Scope, type ScopeKind } from "../core/scopes.js";
export type { Tombstone } from "../core/tombstone.js";
export { compareLatestChangeFirst, compareNewestFirst } from "../core/feed-model.js";
export type { Logger } from "../http/app.js";
export type { Publisher } from "../http/publish-api.js";
export type { ClientKey } from "../http/polite.js";
export type { Compressor } from "../http/representation.js";
export { listPaths, listWithdrawnPaths } from "../http/site-resources.js";
