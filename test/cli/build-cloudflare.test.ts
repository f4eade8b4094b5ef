import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/core/catalog.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { createApp } from "../../src/http/app.js";
import { listPaths } from "../../src/http/site-resources.js";
import { record } from "../support/fixtures.js";
import { project, SITE_CONFIG, wirefeed } from "./support.js";
import { MIRRORED } from "./headers-rules.js";

/** A port free a moment ago, for a server that cannot be told to take port 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `wrangler dev` serving only a folder as static assets: Cloudflare's own
 * asset server (workerd, the `_headers` parser and rules engine that
 * Cloudflare Pages and Workers share), locally.
 */
async function cloudflareAssets(dir: string, configDir: string, port: number): Promise<{ origin: string; close: () => void }> {
  const config = join(configDir, "assets-only.jsonc");
  writeFileSync(config, JSON.stringify({ name: "static-check", compatibility_date: "2026-01-01", assets: { directory: dir, not_found_handling: "404-page" } }));
  const child = spawn("node_modules/.bin/wrangler", ["dev", "--config", config, "--port", String(port), "--ip", "127.0.0.1"], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const close = () => {
    // wrangler runs workerd under it: end the whole group this test started.
    if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
  };
  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${output}`)), 90_000);
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`Ready on http://127.0.0.1:${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.once("exit", (code) => reject(new Error(`wrangler dev exited ${code}:\n${output}`)));
    });
  } catch (error) {
    close();
    throw error;
  }
  expect(output).not.toMatch(/invalid header rule/i);
  return { origin: `http://127.0.0.1:${port}`, close };
}


describe("wirefeed build under Cloudflare's own static asset server", () => {
  it("every path answers 200 with the server's bytes and the server's headers, from _headers; a missing path gets 404.html", async () => {
    const records = {
      "seoul.md": record({ title: "Seoul", published: "2022-06-29T10:00:00+09:00", categories: ["Cyber", "日本"], authors: ["Kim Min-ji"] }),
      "kuwait.md": record({ title: "Kuwait", published: "2022-06-28T10:00:00+09:00", categories: ["اقتصاد"], language: "ar" }),
      "tokyo.md": record({ title: "Tokyo", published: "2022-06-27T10:00:00+09:00", categories: ["日本"] }),
    };
    const config = { feedSize: 1, archivePageSize: 1, websubHub: "https://hub.example/" };
    const cwd = project(records, config);
    const port = await freePort();
    expect((await wirefeed(["build", "--site-url", `http://127.0.0.1:${port}/`], { cwd })).code).toBe(0);
    const host = await cloudflareAssets(join(cwd, "dist"), cwd, port);
    try {
      const site = parseSiteConfig({ ...SITE_CONFIG, ...config, baseUrl: `${host.origin}/` }, "test");
      const dir = join(cwd, "items");
      const catalog = buildCatalog(readdirSync(dir).map((f) => ({ file: `items/${f}`, bytes: new Uint8Array(readFileSync(join(dir, f))) })), site);
      const app = createApp({ site, catalog: () => catalog, log: () => {} });
      const paths = await listPaths(site, catalog);
      expect(paths).toEqual(expect.arrayContaining(["/categories/%E6%97%A5%E6%9C%AC/archive/2022-06-27/rss.xml", "/items/seoul", "/feeds"]));
      for (const path of paths) {
        const want = await app.request(path, { headers: { "Accept-Encoding": "identity" } });
        const got = await fetch(host.origin + path, { redirect: "manual" });
        expect([path, got.status]).toEqual([path, 200]);
        expect([path, Buffer.compare(Buffer.from(await got.arrayBuffer()), Buffer.from(await want.arrayBuffer()))]).toEqual([path, 0]);
        const headers = (res: Response) => Object.fromEntries(MIRRORED.map((h) => [h, res.headers.get(h)]));
        expect([path, headers(got)]).toEqual([path, headers(want)]);
      }
      // The server's 301s: the host makes them too (from _redirects, or its own trailing slash on a folder), to the same place.
      const moved = ["/page/1/", "/categories/cyber/page/1/", "/categories/cyber/page/1", "/items/seoul/", "/feeds/", "/categories/cyber", "/categories"];
      for (const path of moved) {
        const want = await app.request(path);
        const got = await fetch(host.origin + path, { redirect: "manual" });
        expect([path, want.status]).toEqual([path, 301]);
        expect([path, got.status]).toEqual([path, 301]);
        expect([path, new URL(got.headers.get("location")!, host.origin + path).href]).toEqual([path, want.headers.get("location")]);
      }
      const missing = await fetch(`${host.origin}/items/no-such-story`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe(readFileSync(join(cwd, "dist", "404.html"), "utf8"));
    } finally {
      host.close();
    }
  }, 180_000);
});
