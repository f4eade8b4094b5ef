import { buildCatalog } from "../core/catalog.js";
import { parseStamps, withStamps } from "../core/change-stamps.js";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";
import { parseTombstones } from "../core/tombstone.js";
import { createApp, type Logger } from "../http/app.js";
import type { Catalog } from "../core/catalog.js";
import type { Listings } from "../core/listings.js";
import { bundleStore } from "../storage/bundle.js";
import type { D1DatabaseLike } from "../storage/sql/d1-driver.js";
import type { D1Store } from "./worker-d1-store.js";
import { sha256Hex, siteFingerprint } from "../storage/kv-index.js";
import { websubNotifier } from "../http/websub.js";
import { kvCatalogSource, kvStore, type KvNamespaceLike, type VersionedCatalog } from "../storage/kv.js";
import { readAllRecords } from "../storage/load.js";
import type { WorkerData } from "./worker-data.js";
import { storePublisher } from "./worker-publisher.js";

/** The bindings wrangler.toml declares. */
export interface WorkerEnv {
  /** Public base URL; overrides the config's baseUrl, as SITE_URL does on Node. */
  SITE_URL?: string;
  /** When bound, articles come from this KV namespace instead of the bundle. */
  ARTICLES?: KvNamespaceLike;
  /** Secret that turns on the publish API (only with ARTICLES or DB: the bundle is read-only). */
  PUBLISH_TOKEN?: string;
  /** When bound (wrangler env "d1", whose entry brings the D1 store), articles come from this D1 database, before ARTICLES. */
  DB?: D1DatabaseLike;
}

/**
 * Stores an entry brings along: passed in by the entry that serves from
 * them (worker-d1.ts), so the other Workers' bundles do not carry their code.
 */
export interface WorkerStores {
  d1?: (db: D1DatabaseLike, site: SiteConfig, log: Logger, token: string | undefined) => D1Store;
}

/** The part of the Workers ExecutionContext used here. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

type Handler = (request: Request) => Response | Promise<Response>;

/** What a request is answered from: the articles at one content version. */
interface Versioned {
  catalog: Catalog | Listings;
  version: string;
}

/** The bundled records, parsed once per isolate on first use. */
function bundleSource(data: WorkerData, site: SiteConfig, log: Logger): () => Promise<VersionedCatalog> {
  let built: Promise<VersionedCatalog> | undefined;
  return () =>
    (built ??= readAllRecords(bundleStore(data.records)).then((records) => {
      const parsed = buildCatalog(records, site, parseTombstones(data.tombstones ?? []));
      // The build left broken records out and kept why; they are reported here, as Node reports them at start-up.
      for (const problem of data.problems) log(`skipped record: ${problem}`);
      for (const error of parsed.errors) log(`skipped record: ${error.message}`);
      // The build stamped every bundled record (scripts/build-worker-data.ts), so these are the Node server's instants.
      const catalog = data.stamps ? withStamps(parsed, parseStamps(JSON.parse(data.stamps), "worker data: stamps")) : parsed;
      return { catalog, version: data.version };
    }));
}

/** The edge cache where the runtime has one (Cloudflare, workerd, Miniflare); undefined elsewhere. */
function edgeCache(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

/**
 * The Worker's request handler: the same Hono app as on Node, over the bundle
 * or KV, without a compressor (the edge compresses). One app per content
 * version keeps every response of a request consistent with one catalog;
 * the old app and its per-isolate cache are dropped when the version moves.
 *
 * 200s to plain GETs are also kept in the edge cache under a key made of the
 * build, the site config and the content version, so a publish (new version)
 * or a deploy (new build) is never answered from an older entry. Conditional
 * and HEAD requests go to the app, which answers them from its own cache.
 */
export function workerSite(data: WorkerData, env: WorkerEnv, log: Logger, stores: WorkerStores = {}): (request: Request, ctx: WaitUntil) => Promise<Response> {
  const site = parseSiteConfig(data.siteConfig, "site.config.json", env.SITE_URL || undefined);
  const source = env.ARTICLES ? kvCatalogSource(env.ARTICLES, site, log) : bundleSource(data, site, log);
  const fingerprint = siteFingerprint(site);
  let current: { version: string; app: Handler; cacheBase: Promise<string> } | undefined;

  const d1 = env.DB && stores.d1 ? stores.d1(env.DB, site, log, env.PUBLISH_TOKEN) : undefined;

  const appFor = ({ catalog, version }: Versioned) => {
    if (current?.version !== version) {
      const app = createApp({ site, catalog: () => catalog, log });
      const cacheBase = fingerprint.then((fp) => sha256Hex(`${data.buildId}\n${fp}\n${version}`)).then((h) => `/.wirefeed-cache/${h.slice(0, 32)}`);
      current = { version, app: (request) => app.fetch(request), cacheBase };
    }
    return current;
  };

  const publishing = env.ARTICLES && env.PUBLISH_TOKEN ? { kv: env.ARTICLES, token: env.PUBLISH_TOKEN } : undefined;

  return async (request, ctx) => {
    if (d1) {
      if (d1.api && new URL(request.url).pathname.startsWith("/api/")) return d1.api(request, ctx);
      return edgeCached(await d1.source(), request, ctx);
    }
    const versioned = await source();
    if (publishing && new URL(request.url).pathname.startsWith("/api/")) {
      // Writes are rare: an app of their own, bound to this request so WebSub pings outlive the response.
      const hub = site.websubHub ? websubNotifier({ hub: site.websubHub, log: (m) => log(m) }) : undefined;
      const publisher = storePublisher(kvStore(publishing.kv, site), versioned.catalog, site, hub);
      const api = createApp({ site, catalog: () => versioned.catalog, log, publish: { token: publishing.token, publisher } });
      const response = await api.fetch(request);
      if (hub) ctx.waitUntil(hub.idle());
      return response;
    }
    return edgeCached(versioned, request, ctx);
  };

  async function edgeCached(versioned: Versioned, request: Request, ctx: WaitUntil): Promise<Response> {
    const { app, cacheBase } = appFor(versioned);
    const cache = edgeCache();
    const plainGet = request.method === "GET" && !request.headers.has("if-none-match") && !request.headers.has("if-modified-since");
    if (!cache || !plainGet) return app(request);
    // On the request's own host (as Cloudflare advises for cache keys); no client reaches these
    // paths, since every request comes to this Worker first. The app ignores the query string, so the key does too.
    const url = new URL(request.url);
    const key = new Request(new URL(`${await cacheBase}${url.pathname}`, url.origin));
    // The edge cache only saves work: when it fails (it is unavailable behind Cloudflare Access, say), the app answers.
    const hit = await cache.match(key).catch((error: unknown) => void log("edge cache: match failed", error));
    if (hit) return hit;
    const response = await app(request);
    if (response.status === 200) {
      ctx.waitUntil(cache.put(key, response.clone()).catch((error: unknown) => log("edge cache: put failed", error)));
    }
    return response;
  }
}

/**
 * A Worker's default export over one build's data. The env object is fixed
 * for an isolate's life, so the site is built once per env, on first request.
 */
export function workerEntry(data: WorkerData, stores: WorkerStores = {}) {
  const log: Logger = (message, error) => console.error(message, error ?? "");
  const sites = new WeakMap<WorkerEnv, ReturnType<typeof workerSite>>();
  return {
    fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
      let site = sites.get(env);
      if (!site) sites.set(env, (site = workerSite(data, env, log, stores)));
      return site(request, ctx);
    },
  };
}
