/** Node entry point: the only place that reads the environment. */
import { resolve } from "node:path";
import { createNodeSite, listen } from "./node-site.js";
import { gracefulShutdown } from "./shutdown.js";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const root = process.cwd();
const cacheMiB = process.env.WIREFEED_CACHE_MB;
if (cacheMiB !== undefined && !/^[0-9]{1,6}$/.test(cacheMiB)) {
  console.error(`wirefeed: WIREFEED_CACHE_MB must be a whole number of MiB (0 turns the cache off), not ${JSON.stringify(cacheMiB)}`);
  process.exit(1);
}

process.on("unhandledRejection", (reason) => console.error("unhandled rejection:", reason));

const { site, catalog, live, app } = await createNodeSite({
  configPath: resolve(root, process.env.WIREFEED_CONFIG ?? "site.config.json"),
  itemsDir: resolve(root, process.env.ITEMS_DIR ?? "items"),
  siteUrl: process.env.SITE_URL || undefined,
  publishToken: process.env.PUBLISH_TOKEN || undefined,
  ...(cacheMiB !== undefined ? { cacheBytes: Number(cacheMiB) * 1024 * 1024 } : {}),
});
const server = await listen(app.fetch, port, hostname, app.fastResponse);
const address = server.address();
const bound = typeof address === "object" && address ? address.port : port;
// A record can have several errors; "skipped" counts records.
const skipped = new Set(catalog.errors.map((e) => e.file)).size;
console.log(`wirefeed: ${catalog.entries.length} articles, ${skipped} skipped; serving ${site.baseUrl} on http://${hostname}:${bound}`);

// Graceful stop: finish in-flight requests, close idle connections, exit 0 (1 if SHUTDOWN_TIMEOUT_MS passes first).
gracefulShutdown(server, {
  timeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000),
  log: (m) => console.log(m),
  // Stop following items/; a reload already under way still completes.
  onStop: () => live.close(),
});
