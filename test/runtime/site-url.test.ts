/**
 * Links follow the socket when the config's baseUrl is a loopback URL and
 * SITE_URL is unset (`PORT=N npm start` links to N); a loopback base URL the
 * socket does not serve is a loud warning. Through `npm start` itself and the
 * entry point, over a socket.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followSocket, socketMismatch } from "../../src/runtime/site-url.js";
import { record, TEST_SITE_CONFIG } from "../support/fixtures.js";
import { freePort } from "../support/project-copy.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";

const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

function site(baseUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-siteurl-"));
  const config = join(dir, "site.config.json");
  writeFileSync(config, JSON.stringify({ ...TEST_SITE_CONFIG, baseUrl }));
  mkdirSync(join(dir, "items"));
  writeFileSync(join(dir, "items", "harbour.md"), record({ title: "Harbour reopens", published: "2022-06-29T09:00:00+09:00" }));
  return { WIREFEED_CONFIG: config, ITEMS_DIR: join(dir, "items") };
}

async function linksOf(base: string) {
  const page = (await httpGet(base, "/")).body.toString();
  const csp = String((await httpGet(base, "/")).headers["content-security-policy"]);
  return { page, csp, rss: (await httpGet(base, "/rss.xml")).body.toString() };
}

describe("npm start with PORT, as the README says", () => {
  it("links, the stylesheet and the CSP use the port it listens on", async () => {
    const port = await freePort();
    const child = spawn("npm", ["start"], {
      env: { ...process.env, ...site("http://localhost:3000/"), PORT: String(port), HOST: "127.0.0.1", SITE_URL: "", ACCESS_LOG: "off" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    try {
      const start = Date.now();
      while (!out.includes("articles,") && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 50));
      const base = `http://127.0.0.1:${port}`;
      expect(out).toContain(`serving ${base}/ on ${base}`);
      const { page, csp, rss } = await linksOf(base);
      expect(page).toContain(`href="${base}/style.css"`);
      expect(page).not.toContain("localhost:3000");
      expect(csp).not.toContain("localhost:3000");
      expect(rss).toContain(`<link>${base}/items/harbour</link>`);
      expect(out).not.toContain("WARNING");
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
  });
});

describe("the entry point", () => {
  it("PORT=0 on all addresses (HOST's default): the port the system chose, and the config's loopback host stays", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
      env: { ...process.env, ...site("http://localhost:3000/"), PORT: "0", HOST: "0.0.0.0", SITE_URL: "", ACCESS_LOG: "off" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
      const start = Date.now();
      while (!/on http:\/\/0\.0\.0\.0:\d+/.test(out) && Date.now() - start < 20_000) await new Promise((r) => setTimeout(r, 50));
      const port = Number(/on http:\/\/0\.0\.0\.0:(\d+)/.exec(out)![1]);
      expect(port).toBeGreaterThan(0);
      expect(out).toContain(`serving http://localhost:${port}/ on http://0.0.0.0:${port}`);
      const { rss } = await linksOf(`http://127.0.0.1:${port}`);
      expect(rss).toContain(`<link>http://localhost:${port}/items/harbour</link>`);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("warns loudly when a loopback SITE_URL is not the socket, and uses it as given", async () => {
    const server = await startServer({ ...site("http://localhost:3000/"), SITE_URL: "http://localhost:1/" });
    running.push(server);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.stderr()).toContain(
      `WARNING: links, the stylesheet and the CSP use http://localhost:1/: port 1, but the server listens on ${server.port}. Pages will look unstyled and links will not reach this server; set SITE_URL to the URL clients use\n`,
    );
    expect((await linksOf(server.base)).rss).toContain("<link>http://localhost:1/items/harbour</link>");
  });

  it("a public base URL (a proxy's) is used as given, without a warning", async () => {
    const server = await startServer({ ...site("https://news.example/"), SITE_URL: "" });
    running.push(server);
    expect((await linksOf(server.base)).rss).toContain("<link>https://news.example/items/harbour</link>");
    await new Promise((r) => setTimeout(r, 100));
    expect(server.stderr()).not.toContain("WARNING");
  });
});

describe("followSocket / socketMismatch", () => {
  it("moves only a loopback http base, keeping its path; a specific bound address becomes the host", () => {
    expect(followSocket("http://localhost:3000/news/", { address: "0.0.0.0", port: 41106 })).toBe("http://localhost:41106/news/");
    expect(followSocket("http://localhost:3000/", { address: "127.0.0.1", port: 41106 })).toBe("http://127.0.0.1:41106/");
    expect(followSocket("http://[::1]:3000/", { address: "::1", port: 8080 })).toBe("http://[::1]:8080/");
    expect(followSocket("http://127.0.0.1/", { address: "::", port: 80 })).toBe("http://127.0.0.1/");
    expect(followSocket("https://localhost:3000/", { address: "0.0.0.0", port: 1 })).toBeUndefined();
    expect(followSocket("https://news.example/", { address: "0.0.0.0", port: 1 })).toBeUndefined();
  });

  it("a loopback URL on another port, or a socket not on loopback, is a mismatch; a public URL cannot be told", () => {
    expect(socketMismatch("http://localhost:3000/", { address: "0.0.0.0", port: 3000 })).toBeUndefined();
    expect(socketMismatch("http://localhost/", { address: "127.0.0.1", port: 80 })).toBeUndefined();
    expect(socketMismatch("http://localhost:3000/", { address: "0.0.0.0", port: 41106 })).toMatch(/port 3000, but the server listens on 41106/);
    expect(socketMismatch("http://localhost:3000/", { address: "192.0.2.7", port: 3000 })).toMatch(/listens on 192\.0\.2\.7 only/);
    expect(socketMismatch("https://news.example/", { address: "0.0.0.0", port: 3000 })).toBeUndefined();
  });
});
