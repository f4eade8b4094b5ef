import { buildCatalog, type Catalog } from "../core/catalog.js";
import { parseStamps, withStamps } from "../core/change-stamps.js";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";
import { parseTombstones } from "../core/tombstone.js";
import { createApp, type Logger } from "../http/app.js";
import { bundleStore } from "../storage/bundle.js";
import { readAllRecords } from "../storage/load.js";
import { cacheScope, edgeCached, type Handler, type WaitUntil } from "./edge-cache.js";
import type { WorkerData } from "./worker-data.js";

export type { WaitUntil } from "./edge-cache.js";

/** The bindings wrangler.toml declares. */
export interface WorkerEnv {
  /** Public base URL; overrides the config's baseUrl, as SITE_URL does on Node. */
  SITE_URL?: string;
}

/** The bundled records, parsed once per isolate on first use. */
function bundleCatalog(data: WorkerData, site: SiteConfig, log: Logger): () => Promise<Catalog> {
  let built: Promise<Catalog> | undefined;
  return () =>
    (built ??= readAllRecords(bundleStore(data.records)).then((records) => {
      const parsed = buildCatalog(records, site, parseTombstones(data.tombstones ?? []));
      for (const error of parsed.errors) log(`skipped record: ${error.message}`);
      // The build stamped every bundled record (scripts/build-worker-data.ts), so these are the Node server's instants.
      return data.stamps ? withStamps(parsed, parseStamps(JSON.parse(data.stamps), "worker data: stamps")) : parsed;
    }));
}

/**
 * The same Hono app as on Node over the bundled records, without a
 * compressor (the edge compresses). The records are parsed on the first
 * request that reaches it, not before: an isolate whose requests the edge
 * cache answers never parses them.
 */
export function bundleApp(data: WorkerData, site: SiteConfig, log: Logger): Handler {
  const app = createApp({ site, catalog: bundleCatalog(data, site, log), log });
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
export function workerSite(data: WorkerData, env: WorkerEnv, log: Logger): (request: Request, ctx: WaitUntil) => Promise<Response> {
  const site = parseSiteConfig(data.siteConfig, "site.config.json", env.SITE_URL || undefined);
  const app = bundleApp(data, site, log);
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
  const scope = cacheScope(data.buildId, site, data.version);
  return async (request, ctx) => {
    report();
    return edge(request, ctx, await scope, () => app);
  };
}

/**
 * A Worker's default export over one build's data. The env object is fixed
 * for an isolate's life, so the site is built once per env, on first request.
 */
export function workerEntry(data: WorkerData) {
  const log: Logger = (message, error) => console.error(message, error ?? "");
  const sites = new WeakMap<WorkerEnv, ReturnType<typeof workerSite>>();
  return {
    fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
      let site = sites.get(env);
      if (!site) sites.set(env, (site = workerSite(data, env, log)));
      return site(request, ctx);
    },
  };
}
