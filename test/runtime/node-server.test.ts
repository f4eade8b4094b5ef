/** The real entry point (what `npm start` runs), over a real socket. */
import { mkdtempSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { rawStatus, startServer, type RunningServer } from "../support/server.js";

let server: RunningServer;
let base = "";

function get(path: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-items-"));
  for (const f of readdirSync("items")) copyFileSync(join("items", f), join(dir, f));
  writeFileSync(join(dir, "no-title.md"), record({ published: "2022-06-29" }));
  writeFileSync(join(dir, "binary.md"), Buffer.from([0x00, 0x01, 0x02]));
  writeFileSync(join(dir, "empty.md"), "");
  writeFileSync(join(dir, "typo.md"), record({ title: "x", published: "2022-06-29", catgories: [] }));
  server = await startServer({ ITEMS_DIR: dir, SITE_URL: "https://wire.example/" });
  base = server.base;
});

afterAll(() => server?.stop());

describe("node server", () => {
  it("logs each broken record at start-up, naming file and field", () => {
    expect(server.stderr()).toMatch(/no-title\.md: title: is required/);
    expect(server.stderr()).toMatch(/binary\.md: \(file\): is binary/);
    expect(server.stderr()).toMatch(/empty\.md: \(file\): is empty/);
    expect(server.stderr()).toMatch(/typo\.md:\d+: catgories: unknown field \(did you mean "categories"\?\)/);
  });

  it("still serves the other articles, with links from SITE_URL", async () => {
    const res = await get("/rss.xml");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    const xml = res.body.toString();
    expect(xml.match(/<item>/g)).toHaveLength(readdirSync("items").filter((f) => f.endsWith(".md")).length);
    expect(xml).toContain("<link>https://wire.example/items/japan-pm-seeks-nato-partnership-upgrade</link>");
  });

  it("gzip over the wire, Content-Length matching the bytes sent", async () => {
    const res = await get("/atom.xml", { headers: { "Accept-Encoding": "gzip" } });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(gunzipSync(res.body).toString()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><\?xml-stylesheet [^>]*\?>\n<feed /);
  });

  it("HEAD sends the GET's headers and no body", async () => {
    const getRes = await get("/feed.json");
    const head = await get("/feed.json", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-length"]).toBe(String(getRes.body.length));
    expect(head.headers.etag).toBe(getRes.headers.etag);
  });

  it("304 with If-None-Match, 404 for unknown paths", async () => {
    const first = await get("/items/kuwait-oil-output-steady");
    const again = await get("/items/kuwait-oil-output-steady", { headers: { "If-None-Match": String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.headers["cache-control"]).toBe("public, max-age=300");
    expect((await get("/items/no-title")).status).toBe(404);
  });
});

describe("node server: raw request targets stay in their lane", () => {
  const port = () => Number(new URL(base).port);

  it.each([
    "/items/%2e%2e",
    "/items/%2E%2e/site.config.json",
    "/items/../../site.config.json",
    "/items/./kuwait-oil-output-steady",
    "/items/..%2f..%2fsite.config.json",
    "/items/kuwait-oil-output-steady%00",
    "/items/%5c..%5csite.config.json",
    "/items\\..\\site.config.json",
  ])("%s: 400 (the URL parser would have normalised it)", async (target) => {
    expect(await rawStatus(port(), target)).toBe(400);
  });

  it.each(["//etc/passwd", "/etc/passwd", "/site.config.json", "/items/kuwait-oil-output-steady.md"])("%s: 404", async (target) => {
    expect(await rawStatus(port(), target)).toBe(404);
  });

  it("an over-long request target is refused before any work", async () => {
    expect([414, 431]).toContain(await rawStatus(port(), `/items/${"a".repeat(20_000)}`));
    expect(await rawStatus(port(), `/rss.xml?${"q".repeat(2000)}`)).toBe(414);
  });

  it("a hostile Host header is answered from SITE_URL", async () => {
    const res = await get("/rss.xml", { headers: { Host: "evil.example" } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).not.toContain("evil.example");
  });

  it("a repeat request (answered from cached bytes without the framework) is byte for byte the first one", async () => {
    const cases: [string, Record<string, string>, string?][] = [
      ["/categories/diplomacy/rss.xml", {}],
      ["/categories/diplomacy/atom.xml", { "Accept-Encoding": "gzip" }],
      ["/categories/diplomacy/feed.json", { "Accept-Encoding": "br" }],
      ["/categories/diplomacy/", {}],
      ["/categories/diplomacy/atom.xml", { Accept: "text/html,application/xml;q=0.9" }],
      ["/categories/diplomacy/rss.xml", {}, "HEAD"],
    ];
    for (const [path, headers, method] of cases) {
      const first = await get(path, { headers, ...(method ? { method } : {}) });
      const again = await get(path, { headers, ...(method ? { method } : {}) });
      const strip = (h: Record<string, unknown>) => ({ ...h, date: undefined });
      expect([path, again.status, strip(again.headers)]).toEqual([path, first.status, strip(first.headers)]);
      expect(Buffer.compare(again.body, first.body), path).toBe(0);
      const etag = String(first.headers.etag);
      const cond = await get(path, { headers: { ...headers, "If-None-Match": etag } });
      expect([path, cond.status, cond.body.length]).toEqual([path, 304, 0]);
      expect(cond.headers.etag).toBe(etag);
    }
  });
});
