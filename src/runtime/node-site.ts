import { readFile } from "node:fs/promises";
import type { Context } from "hono";
import { createServer } from "node:http";
import { getRequestListener, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";
import { feedsShowing } from "../core/topics.js";
import { createApp, type App, type Logger } from "../http/app.js";
import { rawTargetProblem, reject } from "../http/request-limits.js";
import { websubNotifier } from "../http/websub.js";
import { LiveCatalog } from "./live-catalog.js";
import { ParsePool } from "./parse-pool.js";
import { parseRecord } from "../core/record.js";

/** Smaller records are parsed in line: within the render budget they cost at most tens of milliseconds. */
const OFF_THREAD_CHARS = 4 * 1024;
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
  log?: Logger;
}

export async function loadSiteConfig(configPath: string, siteUrl?: string): Promise<SiteConfig> {
  const text = await readFile(configPath, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${configPath}: not valid JSON: ${(error as Error).message}`);
  }
  return parseSiteConfig(raw, configPath, siteUrl);
}

/** The Node site: config, live catalog (watched items/), WebSub pings, and the app over them. */
export async function createNodeSite(options: NodeSiteOptions) {
  const log = options.log ?? ((m, e) => console.error(m, e ?? ""));
  const site = await loadSiteConfig(options.configPath, options.siteUrl);
  // Records over a few KB are parsed and rendered on a worker thread: a hostile one cannot stall requests.
  const pool = new ParsePool();
  const parse = (file: string, input: string | Uint8Array, s: typeof site) =>
    input.length > OFF_THREAD_CHARS ? pool.parse(file, input, s) : Promise.resolve(parseRecord(file, input, s));
  const live = await LiveCatalog.open(options.itemsDir, site, { label: options.itemsDir, log, parse });
  if (options.watch !== false) live.watch();
  const hub = site.websubHub ? websubNotifier({ hub: site.websubHub, log }) : undefined;
  if (hub) live.onChange((change) => hub.notify([...feedsShowing(site, change.before), ...feedsShowing(site, change.after)]));
  // The peer address of the socket: behind a reverse proxy that is the proxy, so politeness then limits the proxy as one client.
  const clientKey = (c: Context) => getConnInfo(c).remote.address;
  const app = createApp({
    site,
    catalog: () => live.current(),
    compress: nodeCompressor,
    log,
    clientKey,
    ...(options.publishToken ? { publish: { token: options.publishToken, publisher: live } } : {}),
  });
  return { site, catalog: live.current(), live, hub, app };
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

/**
 * Starts the HTTP server; resolves once it listens. With `fast` (the app's
 * fastResponse), a request whose answer is already made is written straight
 * from the cached bytes; every other request goes through the Hono adapter.
 */
export function listen(fetch: FetchHandler, port: number, hostname: string, fast?: App["fastResponse"]): Promise<ServerType> {
  const adapter = getRequestListener(rawTargetGuard(fetch) as Parameters<typeof getRequestListener>[0]);
  const server = createServer((req, res) => {
    const answer = fast?.(req.method ?? "", req.url ?? "", (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    });
    if (!answer) return void adapter(req, res);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  return new Promise((resolve, fail) => {
    server.once("error", fail);
    server.listen(port, hostname, () => resolve(server));
  });
}
