import { buildCatalog, type Catalog } from "../core/catalog.js";
import { parseStamps, withStamps } from "../core/change-stamps.js";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";
import { parseTombstones } from "../core/tombstone.js";
import { createApp, type Logger } from "../http/app.js";
import type { Listings } from "../core/listings.js";
import { bundleStore } from "../storage/bundle.js";
import type { D1DatabaseLike } from "../storage/sql/d1-driver.js";
import type { D1Store } from "./worker-d1-store.js";
import { readAllRecords } from "../storage/load.js";
import { cacheScope, edgeCached, type Handler, type WaitUntil } from "./edge-cache.js";
import type { WorkerData } from "./worker-data.js";

export type { WaitUntil } from "./edge-cache.js";

/** The bindings wrangler.toml declares. */
export interface WorkerEnv {
  /** Public base URL; overrides the config's baseUrl, as SITE_URL does on Node. */
  SITE_URL?: string;
  /** Secret that turns on the publish API (only with DB: the bundle is read-only). */
  PUBLISH_TOKEN?: string;
  /** When bound (wrangler env "d1", whose entry brings the D1 store), articles come from this D1 database. */
  DB?: D1DatabaseLike;
}

/**
 * Stores an entry brings along: passed in by the entry that serves from
 * them (worker-d1.ts), so the other Workers' bundles do not carry their code.
 */
export interface WorkerStores {
  d1?: (db: D1DatabaseLike, site: SiteConfig, log: Logger, token: string | undefined, options: { now: () => number }) => D1Store;
}

/**
 * The bundled records, parsed once per isolate on first use, and again at
 * each embargo's lift (core/embargo.ts): a request after the instant gets a
 * catalog with the article in.
 */
function bundleCatalog(data: WorkerData, site: SiteConfig, log: Logger, now: () => number): () => Promise<Catalog> {
  let built: Promise<Catalog> | undefined;
  let reported = false;
  const build = () =>
    readAllRecords(bundleStore(data.records)).then((records) => {
      const parsed = buildCatalog(records, site, parseTombstones(data.tombstones ?? []), now());
      if (!reported) for (const error of parsed.errors) log(`skipped record: ${error.message}`);
      reported = true;
      // The build stamped every bundled record (scripts/build-worker-data.ts), so these are the Node server's instants.
      return data.stamps ? withStamps(parsed, parseStamps(JSON.parse(data.stamps), "worker data: stamps")) : parsed;
    });
  return async () => {
    const catalog = await (built ??= build());
    if (catalog.nextLift !== undefined && catalog.nextLift <= now()) {
      built = build();
      return built;
    }
    return catalog;
  };
}

/** The bundle's content version at `nowMs`: its build's, and how many of its lifts have passed (the edge cache keys on it). */
export function bundleVersion(data: WorkerData, nowMs: number): string {
  const passed = (data.lifts ?? []).filter((t) => t <= nowMs).length;
  return passed === 0 ? data.version : `${data.version}+${passed}`;
}

/**
 * The same Hono app as on Node over the bundled records, without a
 * compressor (the edge compresses). The records are parsed on the first
 * request that reaches it, not before: an isolate whose requests the edge
 * cache answers never parses them.
 */
export function bundleApp(data: WorkerData, site: SiteConfig, log: Logger, now: () => number = Date.now): Handler {
  const app = createApp({ site, catalog: bundleCatalog(data, site, log, now), log, now });
  return (request) => app.fetch(request);
}

/** The edge cache where the runtime has one (Cloudflare, workerd, Miniflare); undefined elsewhere. */
function edgeCache(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

/**
 * The Worker's request handler: the bundle's app behind the edge cache
 * (edge-cache.ts), keyed by build, site config and content version, and by
 * the request's variant. The bundle's content version is fixed at build
 * time, so a cached answer costs no storage read at all.
 */
export function workerSite(data: WorkerData, env: WorkerEnv, log: Logger, stores: WorkerStores = {}, now: () => number = Date.now): WorkerSite {
  const site = parseSiteConfig(data.siteConfig, "site.config.json", env.SITE_URL || undefined);
  if (env.DB && stores.d1) return d1Site(data, site, stores.d1(env.DB, site, log, env.PUBLISH_TOKEN, { now }), log, now);
  const app = bundleApp(data, site, log, now);
  // The build left broken records out and kept why: reported on the first request, as Node reports
  // them at start-up, also when the edge cache answers it (a rebuild that only added a broken file
  // keeps the content version, so its isolates may never reach the app).
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    for (const problem of data.problems) log(`skipped record: ${problem}`);
  };
  const cache = edgeCache();
  if (!cache) {
    return async (request) => {
      report();
      return app(request);
    };
  }
  const edge = edgeCached({ cache, site, log });
  // Per content version: a lift passed makes a new one, so entries cached before it are not used after it.
  const scopes = new Map<string, Promise<string>>();
  return async (request, ctx) => {
    report();
    const version = bundleVersion(data, now());
    let scope = scopes.get(version);
    if (!scope) scopes.set(version, (scope = cacheScope(data.buildId, site, version)));
    return edge(request, ctx, await scope, () => app);
  };
}

/** A Worker site's request handler. */
export type WorkerSite = ((request: Request, ctx: WaitUntil) => Promise<Response>) & { scheduled?: (ctx: WaitUntil) => Promise<void> };

/**
 * The D1 Worker: one read of the content version per request (the edge
 * cache's key needs it), one Listings and one app per version per isolate,
 * the same edge cache as the bundle's; the publish API when a token is set.
 */
function d1Site(data: WorkerData, site: SiteConfig, d1: D1Store, log: Logger, now: () => number): WorkerSite {
  let current: { version: string; app: Handler; scope: Promise<string> } | undefined;
  const appFor = (listings: Listings, version: string) => {
    if (current?.version !== version) {
      const app = createApp({ site, catalog: () => listings, log, now });
      current = { version, app: (request) => app.fetch(request), scope: cacheScope(data.buildId, site, version) };
    }
    return current;
  };
  const cache = edgeCache();
  const edge = cache ? edgeCached({ cache, site, log }) : undefined;
  const handle = async (request: Request, ctx: WaitUntil) => {
    if (d1.api && new URL(request.url).pathname.startsWith("/api/")) return d1.api(request, ctx);
    const { catalog: listings, version } = await d1.source(ctx);
    const { app, scope } = appFor(listings, version);
    return edge ? edge(request, ctx, await scope, () => app) : app(request);
  };
  return Object.assign(handle, { scheduled: (ctx: WaitUntil) => d1.scheduled(ctx) });
}

/**
 * A Worker's default export over one build's data. The env object is fixed
 * for an isolate's life, so the site is built once per env, on first request.
 */
export function workerEntry(data: WorkerData, stores: WorkerStores = {}) {
  const log: Logger = (message, error) => console.error(message, error ?? "");
  const sites = new WeakMap<WorkerEnv, WorkerSite>();
  const siteOf = (env: WorkerEnv): WorkerSite => {
    let site = sites.get(env);
    if (!site) sites.set(env, (site = workerSite(data, env, log, stores)));
    return site;
  };
  return {
    fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
      return siteOf(env)(request, ctx);
    },
    /** The Cron Trigger (wrangler.toml, env d1): lets in the embargoes due and pings the hub; the bundle needs none (it checks per request). */
    async scheduled(_controller: unknown, env: WorkerEnv, ctx: WaitUntil): Promise<void> {
      await siteOf(env).scheduled?.(ctx);
    },
  };
}
