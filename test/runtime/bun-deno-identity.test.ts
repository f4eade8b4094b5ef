/**
 * Bun and Deno serve the package's compiled app (dist/, through its public
 * entry points; test/support/serve-other-runtime.mjs) byte for byte as the
 * Node server does, for the same items, stamps and config: every URL the
 * site has, HEAD, conditional requests, a browser's navigation, the 404s in
 * each format, 405 and OPTIONS. Bun and Deno come from npm (devDependencies).
 * Node is asked for identity responses (no Accept-Encoding), as on the Worker.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPaths, parseSiteConfig } from "../../src/package/index.js";
import { itemsStore } from "../../src/package/node.js";
import { fetchRaw, startNodeServer, type RawResponse } from "../support/servers.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";

const SITE_URL = "https://wire.example/";
const NAVIGATION = { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none", Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const ACCEPTS = [undefined, "text/html", "application/json", "application/rss+xml", "image/png"];
/** What the runtime adds itself, not the app: framing and the clock. */
const RUNTIME_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

function comparable(res: RawResponse) {
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !RUNTIME_HEADERS.has(k)).sort());
  return { status: res.status, headers, body: res.body.toString("latin1") };
}

const RUNTIMES = {
  Bun: ["node_modules/.bin/bun", ["test/support/serve-other-runtime.mjs"]],
  Deno: ["node_modules/.bin/deno", ["run", "--allow-read", "--allow-env", "--allow-net", "test/support/serve-other-runtime.mjs"]],
} as const;

function startOther(name: keyof typeof RUNTIMES, env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const [command, args] = RUNTIMES[name];
  const child = spawn(command, [...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve({ base: m[1]!, child });
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.once("exit", (code) => reject(new Error(`${name} exited ${code}: ${output}`)));
  });
}

let tmp = "";
let items = "";
let node: { base: string; child: ChildProcess };
const others: Record<string, { base: string; child: ChildProcess }> = {};
let paths: string[] = [];

beforeAll(async () => {
  if (!existsSync("dist/package/worker.js")) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  tmp = mkdtempSync(join(tmpdir(), "wirefeed-runtimes-"));
  items = copySamples(join(tmp, "items"));
  // Node first: its start stamps the records (items/.changes.json), which Bun and Deno then read.
  node = await startNodeServer({ SITE_URL, ITEMS_DIR: items, ACCESS_LOG: "off" });
  for (const name of Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[]) others[name] = await startOther(name, { SITE_URL, ITEMS_DIR: items });
  const site = parseSiteConfig(JSON.parse(readFileSync("site.config.json", "utf8")), "site.config.json", SITE_URL);
  const store = await itemsStore(items, site, { watch: false, parseIndex: false });
  paths = await listPaths(site, store.current());
  store.close();
}, 180_000);

afterAll(() => {
  node?.child.kill("SIGTERM");
  for (const o of Object.values(others)) o.child.kill("SIGTERM");
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each(Object.keys(RUNTIMES))("%s and Node answer byte for byte alike", (name) => {
  const both = async (path: string, opts: { method?: string; headers?: Record<string, string> } = {}) => ({
    fromNode: await fetchRaw(`${node.base}${path}`, opts),
    other: await fetchRaw(`${others[name]!.base}${path}`, opts),
  });

  it("every URL of the site: GET and HEAD", async () => {
    expect(paths.length).toBeGreaterThan(SAMPLE_RECORDS.length + 20);
    for (const path of paths) {
      for (const method of ["GET", "HEAD"]) {
        const { fromNode, other } = await both(path, { method });
        expect(fromNode.status, `${method} ${path}`).toBe(200);
        expect({ path, method, ...comparable(other) }).toEqual({ path, method, ...comparable(fromNode) });
      }
    }
  });

  it("304 via If-None-Match and If-Modified-Since, and a browser's navigation to a feed", async () => {
    for (const path of ["/rss.xml", "/atom.xml", "/feed.json", `/items/${SAMPLE_RECORDS[0]!.slice(0, -3)}`]) {
      const { etag, "last-modified": lastModified } = (await fetchRaw(`${node.base}${path}`)).headers;
      const conditions: Record<string, string>[] = [{ "If-None-Match": etag! }, { "If-Modified-Since": lastModified! }, NAVIGATION];
      for (const headers of conditions) {
        const { fromNode, other } = await both(path, { headers });
        expect({ path, ...comparable(other) }).toEqual({ path, ...comparable(fromNode) });
      }
    }
    const { fromNode, other } = await both("/feed", { headers: { Accept: "application/atom+xml" } });
    expect(fromNode.status).toBe(200);
    expect(comparable(other)).toEqual(comparable(fromNode));
  });

  it("404 in each format, 405 and OPTIONS", async () => {
    for (const accept of ACCEPTS) {
      const { fromNode, other } = await both("/nope", accept ? { headers: { Accept: accept } } : {});
      expect(fromNode.status).toBe(404);
      expect(comparable(other)).toEqual(comparable(fromNode));
    }
    for (const [path, method] of [["/rss.xml", "POST"], ["/rss.xml", "OPTIONS"], ["/nope", "OPTIONS"], ["/categories", "GET"]] as const) {
      const { fromNode, other } = await both(path, { method });
      expect({ path, method, ...comparable(other) }).toEqual({ path, method, ...comparable(fromNode) });
    }
  });
});
