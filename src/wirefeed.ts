/**
 * The handler as a host app uses it: `wirefeed({ site, store })` is a Hono
 * app to mount anywhere (`app.route("/news", …)`, under a `basePath`, or
 * standalone as the whole server). It answers only the paths it has (see
 * createApp): every other path and method stays the host's.
 */
import type { Catalog } from "./core/catalog.js";
import type { SiteConfig } from "./core/config.js";
import type { Listings } from "./core/listings.js";
import { createApp, type App, type Logger } from "./http/app.js";
import type { ClientKey } from "./http/polite.js";
import type { Publisher } from "./http/publish-api.js";
import { readDocument } from "./http/publish-documents.js";
import type { Compressor } from "./http/representation.js";

/**
 * Where the articles come from. `current()` is asked once per request: it
 * returns the same object for as long as the content is unchanged (caches
 * key on it) and a new one after a change. A store the publish API may
 * write to also has a `publisher`.
 */
export interface SiteStore {
  current(): Listings | Catalog | Promise<Listings | Catalog>;
  publisher?: Publisher;
}

export interface WirefeedOptions {
  /** The site's settings, parsed (parseSiteConfig): every link is built from its baseUrl, path included. */
  site: SiteConfig;
  /** A store (files, SQLite, D1, your own), or fixed content: one Listings or Catalog. */
  store: SiteStore | Listings | Catalog;
  /** Turns on the publish API under `<mount>/api/` with this bearer token (the store needs a publisher). */
  publishToken?: string;
  /** Compresses responses (Node: `nodeCompressor` from wirefeed/node); without it they go out uncompressed. */
  compress?: Compressor;
  /** Where errors go (default console.error). */
  log?: Logger;
  /** Who a request is from, for `site.politeness` (429 to over-eager pollers); without it that is off. */
  clientKey?: ClientKey;
  /** Byte budget of the representation cache (default 32 MiB). */
  cacheBytes?: number;
  /** The clock, ms since the epoch (politeness, the News sitemap's two days). */
  now?: () => number;
}

export type WirefeedApp = App;

function isStore(store: WirefeedOptions["store"]): store is SiteStore {
  return typeof (store as Partial<SiteStore>).current === "function";
}

/** The publisher as a Hono app. Throws TypeError when a publish token is given for a store nothing can write to. */
export function wirefeed(options: WirefeedOptions): WirefeedApp {
  const { store, publishToken } = options;
  const current = isStore(store) ? () => store.current() : () => store;
  const publisher = isStore(store) ? store.publisher : undefined;
  if (publishToken && !publisher) throw new TypeError("wirefeed: publishToken needs a store with a publisher (this one is read-only)");
  return createApp({
    site: options.site,
    catalog: current,
    ...(options.compress ? { compress: options.compress } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.clientKey ? { clientKey: options.clientKey } : {}),
    ...(options.cacheBytes !== undefined ? { cacheBytes: options.cacheBytes } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(publishToken && publisher ? { publish: { token: publishToken, publisher, documents: readDocument } } : {}),
  });
}
