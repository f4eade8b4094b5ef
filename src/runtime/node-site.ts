import type { Context } from "hono";
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { getRequestListener, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { SiteConfig } from "../core/config.js";
import { loadSiteConfig } from "./site-config-file.js";

export { loadSiteConfig };
import { feedsShowing } from "../core/topics.js";
import type { AccessEntry } from "../http/access-log.js";
import type { App, Logger } from "../http/app.js";
import type { Catalog } from "../core/catalog.js";
import { wirefeed, type SiteStore } from "../wirefeed.js";
import type { Publisher } from "../http/publish-api.js";
import type { ArticleMeta } from "../core/article.js";
import { rawTargetProblem, reject } from "../http/request-limits.js";
import { websubNotifier, type WebSubNotifier } from "../http/websub.js";
import { LiveCatalog } from "./live-catalog.js";
import { ParsePool } from "./parse-pool.js";
import { parseRecord, type ParseResult } from "../core/record.js";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { PARSE_INDEX_FILE, ParseIndex } from "../storage/parse-index.js";
import { openNodeSqlStore } from "../storage/sql/node-sql-store.js";
import { parseFingerprint } from "./parser-fingerprint.js";

/** Smaller records are parsed in line: within the render budget they cost at most tens of milliseconds. */
const OFF_THREAD_CHARS = 4 * 1024;
/** Records handed to each start-up parse worker ahead of the one it is on (ParsePool's depth): enough to cover a pause of the main thread. */
const BULK_DEPTH = 16;
import { nodeCompressor } from "./node-compress.js";

export interface NodeSiteOptions {
  configPath: string;
  itemsDir: string;
  /** SITE_URL, passed in by the entry point. */
  siteUrl?: string;
  /** PUBLISH_TOKEN: turns the publish API on. */
  publishToken?: string;
  /** Follow the items directory for changes (default true). */
  watch?: boolean;
  /** The clock for change stamps and tombstones (tests pass a fake one). */
  now?: () => Date;
  /** WIREFEED_CACHE_MB in bytes: the representation cache's budget (default: the app's). */
  cacheBytes?: number;
  /** Where the parse index lives (default `<itemsDir>/.wirefeed-index.db`); false: none, every start parses every record. */
  parseIndex?: string | false;
  log?: Logger;
}

/** Records over a few KB are parsed and rendered on a worker thread: a hostile one cannot stall requests. */
function offThreadParser(pool: ParsePool) {
  return (file: string, input: string | Uint8Array, s: SiteConfig): Promise<ParseResult> =>
    input.length > OFF_THREAD_CHARS ? pool.parse(file, input, s) : Promise.resolve(parseRecord(file, input, s));
}

/** The WebSub ping of a change: every feed that showed the article before or shows it now. */
function pingFeedsOf(site: SiteConfig, hub: WebSubNotifier) {
  return (change: { before?: ArticleMeta; after?: ArticleMeta }) => hub.notify([...feedsShowing(site, change.before), ...feedsShowing(site, change.after)]);
}

/** The app as every Node store serves it: zlib, the socket's peer as the client, the publish API with a token. */
function nodeApp(site: SiteConfig, options: NodeSiteOptions | Omit<NodeSiteOptions, "itemsDir" | "watch">, log: Logger, store: SiteStore): App {
  return wirefeed({
    site,
    store,
    compress: nodeCompressor,
    log,
    clientKey: nodeClientKey,
    ...(options.cacheBytes !== undefined ? { cacheBytes: options.cacheBytes } : {}),
    ...(options.publishToken ? { publishToken: options.publishToken } : {}),
    // The store's clock is the app's too: Cache-Control is clamped to the next embargo's lift by it.
    ...(options.now ? { now: () => options.now!().getTime() } : {}),
  });
}

/** The peer address of the socket: behind a reverse proxy that is the proxy, so politeness then limits the proxy as one client. */
export const nodeClientKey = (c: Context): string | undefined => getConnInfo(c).remote.address;

export interface ItemsStoreOptions {
  /** Follow the folder for changes (default true). */
  watch?: boolean;
  /** Where the parse index lives (default `<dir>/.wirefeed-index.db`); false: none, every start parses every record. */
  parseIndex?: string | false;
  /** The clock for change stamps and tombstones. */
  now?: () => Date;
  log?: Logger;
}

/** A folder of records (`<slug>.md`) as a store: parsed at open, followed for changes, written by the publish API. */
export interface ItemsStore {
  current(): Catalog;
  publisher: Publisher;
  /** The live catalog behind it (start-up figures, change events). */
  live: LiveCatalog;
  /** Stops following the folder and ends the parse workers. */
  close(): void;
}

const defaultLog: Logger = (m, e) => (e === undefined ? console.error(m) : console.error(m, e));

/** Opens a folder of records as the site's store (the files mode of the Node server). */
export async function itemsStore(itemsDir: string, site: SiteConfig, options: ItemsStoreOptions = {}): Promise<ItemsStore> {
  const log = options.log ?? defaultLog;
  const pool = new ParsePool();
  const parse = offThreadParser(pool);
  // At start-up nothing is served yet: records the index does not know are parsed on one worker per core, each a few records ahead.
  const bulk = new ParsePool(10_000, availableParallelism(), BULK_DEPTH);
  const indexPath = options.parseIndex ?? join(itemsDir, PARSE_INDEX_FILE);
  const index = indexPath === false ? undefined : ParseIndex.open(indexPath, parseFingerprint(site), log);
  const live = await LiveCatalog.open(itemsDir, site, {
    label: itemsDir,
    log,
    parse,
    bulkParse: (file, input, s) => bulk.parse(file, input, s),
    bulkParseEncoded: (file, input, s) => bulk.parseEncoded(file, input, s),
    ...(index ? { index } : {}),
    ...(options.now ? { now: options.now } : {}),
  }).finally(() => bulk.close());
  if (options.watch !== false) live.watch();
  return {
    current: () => live.current(),
    publisher: live,
    live,
    close: () => {
      live.close();
      pool.close();
    },
  };
}

/** A SQLite database file as the site's store (created when absent): the SQL mode of the Node server. */
export async function sqliteStore(dbFile: string, site: SiteConfig, options: Pick<ItemsStoreOptions, "now" | "log"> & { onChange?: (change: { before?: ArticleMeta; after?: ArticleMeta }) => void } = {}) {
  const log = options.log ?? defaultLog;
  const pool = new ParsePool();
  const store = await openNodeSqlStore(dbFile, site, {
    now: options.now ?? (() => new Date()),
    log,
    parse: offThreadParser(pool),
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
  return { ...store, pool, close: () => (store.close(), pool.close()) };
}

/** The Node site: config, live catalog (watched items/), WebSub pings, and the app over them. */
export async function createNodeSite(options: NodeSiteOptions) {
  const log = options.log ?? defaultLog;
  const site = await loadSiteConfig(options.configPath, options.siteUrl);
  const store = await itemsStore(options.itemsDir, site, {
    log,
    ...(options.watch !== undefined ? { watch: options.watch } : {}),
    ...(options.parseIndex !== undefined ? { parseIndex: options.parseIndex } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const { live } = store;
  const hub = site.websubHub ? websubNotifier({ hub: site.websubHub, log }) : undefined;
  if (hub) live.onChange(pingFeedsOf(site, hub));
  const app = nodeApp(site, options, log, store);
  return { site, catalog: live.current(), live, hub, app };
}

/**
 * The Node site over a SQLite database (WIREFEED_DB; created when absent)
 * instead of items/: each request asks the database's current Listings (one
 * read of its version, so writes by another process, `db load`, are served
 * from the next request on); the publish API writes to it.
 */
export async function createNodeSqlSite(options: Omit<NodeSiteOptions, "itemsDir" | "watch"> & { dbFile: string }) {
  const log = options.log ?? defaultLog;
  const site = await loadSiteConfig(options.configPath, options.siteUrl);
  const hub = site.websubHub ? websubNotifier({ hub: site.websubHub, log }) : undefined;
  const store = await sqliteStore(options.dbFile, site, { log, ...(options.now ? { now: options.now } : {}), ...(hub ? { onChange: pingFeedsOf(site, hub) } : {}) });
  const app = nodeApp(site, options, log, store);
  return { site, store, hub, app, pool: store.pool };
}

type FetchHandler = (req: Request, env?: { incoming?: { url?: string } }) => Response | Promise<Response>;

/** Node still has the request target as sent; the Request URL is already normalised. */
function rawTargetGuard(fetch: FetchHandler): FetchHandler {
  return (req, env) => {
    const raw = env?.incoming?.url;
    const problem = raw === undefined ? undefined : rawTargetProblem(raw);
    return problem ? reject(400, `Bad Request: ${problem}`) : fetch(req, env);
  };
}

function accessEntry(req: IncomingMessage, status: number, bytes: number | undefined, t0: number): AccessEntry {
  return {
    client: req.socket.remoteAddress,
    method: req.method ?? "-",
    target: req.url ?? "-",
    httpVersion: req.httpVersion,
    status,
    bytes: req.method === "HEAD" || bytes === 0 ? undefined : bytes,
    referer: req.headers.referer,
    userAgent: req.headers["user-agent"],
    started: Date.now() - Math.round(performance.now() - t0),
    durationMs: performance.now() - t0,
  };
}

/**
 * Logs a request the Hono adapter answers, once its response is done (or the
 * client has gone), counting the body bytes as written: headers given to
 * writeHead cannot be read back, and a streamed body has no length.
 */
function logWhenDone(req: IncomingMessage, res: ServerResponse, access: (entry: AccessEntry) => void, t0: number): void {
  let bytes = 0;
  const count = (chunk: unknown) => {
    if (typeof chunk === "string") bytes += Buffer.byteLength(chunk);
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const out = res as unknown as { write: (...args: unknown[]) => boolean; end: (...args: unknown[]) => ServerResponse };
  const { write, end } = out;
  out.write = (...args) => (count(args[0]), write.apply(res, args));
  out.end = (...args) => (typeof args[0] !== "function" && count(args[0]), end.apply(res, args));
  res.once("close", () => access(accessEntry(req, res.statusCode, bytes, t0)));
}

/**
 * Lines to a stream, written together every `delayMs` (or sooner, once 64 KiB
 * are waiting): under load one write carries many requests' lines, since a
 * write per line costs more than the line (measured: README, "Logs" figures). The
 * timer holds the process open, so a graceful stop still writes the last
 * lines; `flush` writes what is waiting at once (on exit).
 */
export function batchedLines(write: (chunk: string) => void, delayMs = 20): ((line: string) => void) & { flush: () => void } {
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === "") return;
    const chunk = pending;
    pending = "";
    write(chunk);
  };
  const add = (line: string) => {
    pending += `${line}\n`;
    if (pending.length >= 65_536) flush();
    else timer ??= setTimeout(flush, delayMs);
  };
  return Object.assign(add, { flush });
}

/** A listening server whose handler is given later: requests that arrive before then wait for it. */
export interface OpenServer {
  server: ServerType;
  serve(fetch: FetchHandler, fast?: App["fastResponse"]): void;
}

/**
 * Listens first and serves later, so what the site is built from can depend
 * on the socket (its port: see site-url.ts). Requests arriving meanwhile are
 * held, not refused, and answered once `serve` is called.
 */
export function openServer(port: number, hostname: string, options: { access?: (entry: AccessEntry) => void } = {}): Promise<OpenServer> {
  let handle: RequestListener | undefined;
  const held: [IncomingMessage, ServerResponse][] = [];
  const { access } = options;
  const server = createServer((req, res) => (handle ? handle(req, res) : void held.push([req, res])));
  const serve = (fetch: FetchHandler, fast?: App["fastResponse"]) => {
    const adapter = getRequestListener(rawTargetGuard(fetch) as Parameters<typeof getRequestListener>[0]);
    // Both paths are logged here, where they part: each request once, with what was sent.
    handle = (req, res) => {
      const t0 = access ? performance.now() : 0;
      const answer = fast?.(req.method ?? "", req.url ?? "", (name) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(", ") : value;
      });
      if (!answer) {
        if (access) logWhenDone(req, res, access, t0);
        return void adapter(req, res);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      // The fast path's whole answer is in hand: no need to wait for the socket.
      if (access) access(accessEntry(req, answer.status, answer.body?.length, t0));
    };
    for (const [req, res] of held.splice(0)) handle(req, res);
  };
  return new Promise((resolve, fail) => {
    server.once("error", fail);
    server.listen(port, hostname, () => resolve({ server, serve }));
  });
}

/**
 * Starts the HTTP server; resolves once it listens. With `fast` (the app's
 * fastResponse), a request whose answer is already made is written straight
 * from the cached bytes; every other request goes through the Hono adapter.
 */
export async function listen(fetch: FetchHandler, port: number, hostname: string, fast?: App["fastResponse"]): Promise<ServerType> {
  const { server, serve } = await openServer(port, hostname);
  serve(fetch, fast);
  return server;
}
