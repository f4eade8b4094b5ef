/** Node entry point: the only place that reads the environment. */
import { resolve } from "node:path";
// Only the package's public API (wirefeed, wirefeed/node): the server is a user of it like any host.
import { SITE_SCOPE } from "../package/index.js";
import { accessLogEnabled, batchedLines, createNodeSite, createNodeSqlSite, followSocket, formatAccess, gracefulShutdown, loadSiteConfig, openServer, socketMismatch } from "../package/node.js";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
const root = process.cwd();
const configPath = resolve(root, process.env.WIREFEED_CONFIG ?? "site.config.json");
const publishToken = process.env.PUBLISH_TOKEN || undefined;

const cacheMiB = process.env.WIREFEED_CACHE_MB;
if (cacheMiB !== undefined && !/^[0-9]{1,6}$/.test(cacheMiB)) {
  console.error(`wirefeed: WIREFEED_CACHE_MB must be a whole number of MiB (0 turns the cache off), not ${JSON.stringify(cacheMiB)}`);
  process.exit(1);
}

// The parse index (what earlier starts parsed): WIREFEED_PARSE_INDEX=off goes without, a path puts it elsewhere (default items/.wirefeed-index.db).
const parseIndexEnv = process.env.WIREFEED_PARSE_INDEX;
const parseIndex = parseIndexEnv === "off" ? false : parseIndexEnv ? resolve(root, parseIndexEnv) : undefined;

process.on("unhandledRejection", (reason) => console.error("unhandled rejection:", reason));

// One line per request on stdout (ACCESS_LOG=off turns it off); everything else goes to stderr.
const accessLine = accessLogEnabled(process.env.ACCESS_LOG) ? batchedLines((chunk) => process.stdout.write(chunk)) : undefined;
// stdout to a file or pipe is written synchronously on Linux, so lines still waiting go out even on process.exit.
if (accessLine) process.once("exit", () => accessLine.flush());
// Listening first: with a loopback baseUrl and no SITE_URL, links follow the socket's port (PORT=0 included).
const { server, serve } = await openServer(port, hostname, accessLine ? { access: (entry) => accessLine(formatAccess(entry)) } : {});
const address = server.address();
const bound = typeof address === "object" && address ? { address: address.address, port: address.port } : { address: hostname, port };
const siteUrl = process.env.SITE_URL || followSocket((await loadSiteConfig(configPath)).baseUrl, bound);

/** The operator learns at start that stories are held back, and until when (validate lists each). */
const nextLiftNote = (at: number | undefined) => (at === undefined ? "" : `; embargoed articles held back (the next lifts at ${new Date(at).toISOString()})`);

const common = { configPath, siteUrl, publishToken, ...(cacheMiB !== undefined ? { cacheBytes: Number(cacheMiB) * 1024 * 1024 } : {}) };
// WIREFEED_DB: a SQLite database (created when absent) instead of the items folder.
const dbFile = process.env.WIREFEED_DB ? resolve(root, process.env.WIREFEED_DB) : undefined;
const started = dbFile
  ? await createNodeSqlSite({ ...common, dbFile }).then(async ({ site, app, store }) => {
      const listings = await store.current();
      const stats = await listings.stats(SITE_SCOPE);
      // Requests still in flight read the database: it closes with the process.
      return { site, app, stop: () => {}, line: `${stats.total} articles in ${dbFile}${nextLiftNote(listings.nextLift)}` };
    })
  : await createNodeSite({ ...common, itemsDir: resolve(root, process.env.ITEMS_DIR ?? "items"), ...(parseIndex !== undefined ? { parseIndex } : {}) }).then(({ site, app, catalog, live }) => {
      // A record can have several errors; "skipped" counts records.
      const skipped = new Set(catalog.errors.map((e) => e.file)).size;
      console.log(`wirefeed: ${live.startStats.reused} records taken unchanged from the parse index, ${live.startStats.parsed} parsed`);
      return { site, app, stop: () => live.close(), line: `${catalog.entries.length} articles, ${skipped} skipped${nextLiftNote(catalog.nextLift)}` };
    });
const { site, app } = started;
serve(app.fetch, app.fastResponse);
const mismatch = socketMismatch(site.baseUrl, bound);
if (mismatch) console.error(mismatch);
console.log(`wirefeed: ${started.line}; serving ${site.baseUrl} on http://${hostname}:${bound.port}`);
if (publishToken) console.log(`wirefeed: publish API on (PUBLISH_TOKEN is set): PUT and DELETE ${new URL("api/items/", site.baseUrl).href}<slug>`);
console.log(`wirefeed: access log ${accessLine ? "on (stdout; ACCESS_LOG=off to turn it off)" : "off (ACCESS_LOG)"}`);

// Graceful stop: finish in-flight requests, close idle connections, exit 0 (1 if SHUTDOWN_TIMEOUT_MS passes first).
gracefulShutdown(server, {
  timeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000),
  log: (m) => console.log(m),
  // Stop following items/; a reload already under way still completes.
  onStop: () => started.stop(),
});
