/**
 * `wirefeed/node`: the stores and server pieces that need Node (files,
 * SQLite, zlib, sockets). The repository's own server (src/runtime/node.ts)
 * is built from these alone.
 */
export { itemsStore, sqliteStore, nodeClientKey, type ItemsStore, type ItemsStoreOptions } from "../runtime/node-site.js";
export { createNodeSite, createNodeSqlSite, loadSiteConfig, batchedLines, listen, openServer, type NodeSiteOptions, type OpenServer } from "../runtime/node-site.js";
export { nodeCompressor } from "../runtime/node-compress.js";
export { gracefulShutdown, type ShutdownOptions } from "../runtime/shutdown.js";
export { followSocket, socketMismatch, type Bound } from "../runtime/site-url.js";
export { accessLogEnabled, formatAccess, type AccessEntry } from "../http/access-log.js";
