/**
 * The Worker (bundled records) gives the
 * same Last-Modified and ETag as the Node server for the same items and
 * change stamps: a site whose stamps differ from its dates (a back-dated
 * article published through the API under a fake clock), built into real
 * Worker modules and run in workerd by Miniflare, over loopback sockets.
 */
import type { ServerType } from "@hono/node-server";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeSite, listen } from "../../src/runtime/node-site.js";
import { TEST_SITE_CONFIG, record } from "../support/fixtures.js";
import { fetchRaw, startWorker } from "../support/servers.js";

const SITE_URL = "https://wire.example/";
const TOKEN = "stamp-token";
const PATHS = ["/", "/rss.xml", "/atom.xml", "/feed.json", "/categories/markets/rss.xml", "/categories/markets/", "/feeds.opml", "/items/back-dated", "/items/newest"];
const STAMPED_AT = new Date("2026-03-04T05:06:07Z");

let tmp = "";
let node: { base: string; server: ServerType; close: () => void };
const workers: { name: string; base: string; mf: Miniflare }[] = [];

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

/** A Worker module over one generated data module, bundled as wrangler would (esbuild, ESM). */
async function bundle(dataFile: string, out: string) {
  const entry = join(tmp, `${out}.entry.ts`);
  writeFileSync(entry, `import data from ${JSON.stringify(dataFile)};\nimport { workerEntry } from ${JSON.stringify(resolve("src/runtime/worker-site.ts"))};\nexport default workerEntry(data);\n`);
  const outfile = join(tmp, out, "worker.js");
  await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "neutral", outfile, logLevel: "silent", mainFields: ["module", "main"], conditions: ["workerd", "worker", "browser"] });
  return outfile;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "wirefeed-lm-worker-"));
  const items = join(tmp, "items");
  mkdirSync(items);
  const config = join(tmp, "site.config.json");
  writeFileSync(config, JSON.stringify({ ...TEST_SITE_CONFIG, feedSize: 2 }));
  const story = (title: string, published: string) => record({ title, published, categories: ["Markets"] }, "The ministry said talks would continue.");
  writeFileSync(join(items, "oldest.md"), story("Oldest", "2022-01-01T00:00:00Z"));
  writeFileSync(join(items, "newest.md"), story("Newest", "2022-01-03T00:00:00Z"));

  // A first start, then a back-dated publish through the API at a known (fake) instant.
  let clock = new Date("2026-01-01T00:00:00Z");
  const first = await createNodeSite({ configPath: config, itemsDir: items, siteUrl: SITE_URL, publishToken: TOKEN, watch: false, now: () => clock, log: () => {} });
  const firstServer = await listen(first.app.fetch, 0, "127.0.0.1");
  clock = STAMPED_AT;
  const res = await fetch(`http://127.0.0.1:${(firstServer.address() as { port: number }).port}/api/items/back-dated`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Back-dated", published: "2021-06-01T00:00:00Z", categories: ["Markets"], body: "Filed late." }),
  });
  expect(res.status).toBe(201);
  await first.live.idle();
  await new Promise((r) => firstServer.close(r));

  // The same folder, served by Node again (a restart) and by the Worker.
  const second = await createNodeSite({ configPath: config, itemsDir: items, siteUrl: SITE_URL, watch: false, now: () => new Date("2027-01-01T00:00:00Z"), log: () => {} });
  const server = await listen(second.app.fetch, 0, "127.0.0.1", second.app.fastResponse);
  node = { base: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, close: () => second.live.close() };

  const env = { ITEMS_DIR: items, WIREFEED_CONFIG: config, SITE_URL };
  run(["scripts/build-worker-data.ts"], { ...env, WIREFEED_WORKER_DATA: join(tmp, "data", "worker-data.ts") });
  const bundled = await startWorker(await bundle(join(tmp, "data", "worker-data.ts"), "bundled"), { bindings: { SITE_URL } });
  workers.push({ name: "bundled", ...bundled });
}, 120_000);

afterAll(async () => {
  node?.close();
  if (node) await new Promise((r) => node.server.close(r));
  for (const w of workers) await w.mf.dispose();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("Last-Modified from change stamps", () => {
  it("the Node server dates the feeds by the back-dated publish, after a restart", async () => {
    const rss = await fetchRaw(`${node.base}/rss.xml`);
    expect(rss.headers["last-modified"]).toBe(STAMPED_AT.toUTCString());
  });

  it.each(["bundled"])("the Worker (%s) sends the same Last-Modified and ETag as Node", async (name) => {
    const worker = workers.find((w) => w.name === name)!;
    for (const path of PATHS) {
      const fromNode = await fetchRaw(`${node.base}${path}`);
      const fromWorker = await fetchRaw(`${worker.base}${path}`);
      expect(fromWorker.status, path).toBe(200);
      expect(fromWorker.headers["last-modified"], path).toBe(fromNode.headers["last-modified"]);
      expect(fromWorker.headers.etag, path).toBe(fromNode.headers.etag);
      // A poll with Node's Last-Modified alone is a 304 on the Worker too.
      const poll = await fetchRaw(`${worker.base}${path}`, { headers: { "If-Modified-Since": fromNode.headers["last-modified"]! } });
      expect(poll.status, path).toBe(304);
    }
  });
});
