/**
 * The node:http baseline: the publisher's exact bytes, prefetched into
 * Buffers, sent by a plain node:http server. What a Node server on this
 * machine can do at best for the same responses, so the publisher is judged
 * as a ratio to it.
 *
 * - coding: br if the client names br, else gzip if it names gzip, else identity
 * - 304 when If-None-Match is exactly the variant's ETag
 * - same headers as the publisher: ETag, Cache-Control, Vary, Last-Modified,
 *   Content-Type, Content-Length, Content-Encoding
 *
 * Usage: node --import tsx scripts/bench/baseline-server.ts <root> [port]
 * (prints "baseline on http://127.0.0.1:<port>").
 */
import { createServer, type OutgoingHttpHeaders } from "node:http";
import { CODINGS, readServedRoot, type Coding } from "./served-files.js";

interface Prepared {
  body: Buffer;
  etag: string;
  full: OutgoingHttpHeaders;
  notModified: OutgoingHttpHeaders;
}

const [root, portText = "0"] = process.argv.slice(2);
if (!root) {
  console.error("usage: baseline-server.ts <root> [port]");
  process.exit(2);
}

const { manifest, bytes } = await readServedRoot(root);
const routes = new Map<string, Partial<Record<Coding, Prepared>>>();
for (const resource of manifest.resources) {
  const prepared: Partial<Record<Coding, Prepared>> = {};
  for (const coding of CODINGS) {
    const variant = resource.variants[coding];
    if (!variant) continue;
    const body = await bytes(resource.path, coding);
    const common: OutgoingHttpHeaders = { ETag: variant.etag, "Cache-Control": resource.cacheControl, Vary: "Accept-Encoding" };
    if (resource.lastModified) common["Last-Modified"] = resource.lastModified;
    const full: OutgoingHttpHeaders = { ...common, "Content-Type": resource.contentType, "Content-Length": body.length };
    if (coding !== "identity") full["Content-Encoding"] = coding;
    prepared[coding] = { body, etag: variant.etag, full, notModified: common };
  }
  routes.set(resource.path, prepared);
}

const server = createServer((req, res) => {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const variants = routes.get(query === -1 ? url : url.slice(0, query));
  if (!variants || (req.method !== "GET" && req.method !== "HEAD")) {
    res.writeHead(variants ? 405 : 404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(variants ? "Method Not Allowed\n" : "Not found\n");
    return;
  }
  const accept = req.headers["accept-encoding"] ?? "";
  const chosen = (accept.includes("br") && variants.br) || (accept.includes("gzip") && variants.gzip) || variants.identity!;
  if (req.headers["if-none-match"] === chosen.etag) {
    res.writeHead(304, chosen.notModified);
    res.end();
    return;
  }
  res.writeHead(200, chosen.full);
  res.end(req.method === "HEAD" ? undefined : chosen.body);
});

server.listen(Number(portText), "127.0.0.1", () => {
  const address = server.address();
  console.log(`baseline on http://127.0.0.1:${typeof address === "object" && address ? address.port : portText}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
