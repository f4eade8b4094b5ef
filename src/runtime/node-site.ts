import { readFile } from "node:fs/promises";
import type { Context } from "hono";
import { serve, type ServerType } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { buildCatalog, type Catalog } from "../core/catalog.js";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";
import { createApp, type Logger } from "../http/app.js";
import { rawTargetProblem, reject } from "../http/request-limits.js";
import { directoryStore } from "../storage/fs-dir.js";
import { readAllRecords } from "../storage/load.js";
import { nodeCompressor } from "./node-compress.js";

export interface NodeSiteOptions {
  configPath: string;
  itemsDir: string;
  /** SITE_URL, passed in by the entry point. */
  siteUrl?: string;
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

/** Reads every record in the items directory; each broken one is logged and left out. */
export async function loadCatalog(itemsDir: string, site: SiteConfig, log: Logger): Promise<Catalog> {
  const catalog = buildCatalog(await readAllRecords(directoryStore(itemsDir, itemsDir)), site);
  for (const error of catalog.errors) log(`skipped record: ${error.message}`);
  return catalog;
}

export async function createNodeSite(options: NodeSiteOptions) {
  const log = options.log ?? ((m, e) => console.error(m, e ?? ""));
  const site = await loadSiteConfig(options.configPath, options.siteUrl);
  const catalog = await loadCatalog(options.itemsDir, site, log);
  // The peer address of the socket: behind a reverse proxy that is the proxy, so politeness then limits the proxy as one client.
  const clientKey = (c: Context) => getConnInfo(c).remote.address;
  const app = createApp({ site, catalog: () => catalog, compress: nodeCompressor, log, clientKey });
  return { site, catalog, app };
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

/** Starts the HTTP server; resolves once it listens. */
export function listen(fetch: FetchHandler, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, fail) => {
    const server = serve({ fetch: rawTargetGuard(fetch), port, hostname }, () => resolve(server));
    server.once("error", fail);
  });
}
