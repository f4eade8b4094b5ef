/**
 * wirefeed mounted in a host's Hono app: at a sub-path, at the root, under a
 * basePath, through `mount` and under a path parameter. It answers exactly
 * what it answers standalone (same status, headers and bytes) for every path
 * it has, and nothing else: the host's routes, methods and not-found stay
 * the host's, untouched by its headers.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { listPaths, wirefeed } from "../../src/package/index.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const records = {
  "older.md": record({ title: "Older", published: "2022-06-28T10:00:00+09:00", categories: ["Politics"] }),
  "newer.md": record({ title: "Newer", published: "2022-06-29T10:00:00+09:00", authors: ["Jo Writer"] }),
};
const newsSite = testSite({ baseUrl: "https://news.example/news/" });
const newsCatalog = catalogOf(records, newsSite);
const rootSite = testSite();
const rootCatalog = catalogOf(records, rootSite);

/** The host's own routes, some registered before the site and some after it. */
function host(mountSite: (app: Hono) => void, base = new Hono()): Hono {
  base.get("/about", (c) => c.text("about"));
  mountSite(base);
  base.post("/contact", (c) => c.text("thanks", 201));
  base.get("/news/desk", (c) => c.text("desk"));
  return base;
}

async function snapshot(res: Response) {
  return { status: res.status, headers: Object.fromEntries(res.headers), body: new Uint8Array(await res.arrayBuffer()) };
}

/** Every path the site has, with the requests that reach its other answers (redirects, 404 formats, 405, OPTIONS). */
async function requests(site = newsSite, catalog = newsCatalog): Promise<[string, RequestInit][]> {
  const paths = await listPaths(site, catalog);
  return [
    ...paths.map((p) => [p, {}] as [string, RequestInit]),
    ["/rss.xml", { method: "HEAD" }],
    ["/feed", { headers: { Accept: "application/atom+xml" } }],
    ["/categories", {}],
    ["/items/NEWER", {}],
    ["/rss.xml", { method: "POST" }],
    ["/atom.xml", { method: "OPTIONS" }],
    ["/rss.xml?limit=0", {}],
    ["/rss.xml", { headers: { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" } }],
  ];
}

describe("mounted at a sub-path", () => {
  const standalone = wirefeed({ site: newsSite, store: newsCatalog, log: () => {} });
  const mounts: [string, Hono][] = [
    ["route('/news')", host((app) => app.route("/news", wirefeed({ site: newsSite, store: newsCatalog, log: () => {} })))],
    ["basePath('/news')", (() => {
      const app = new Hono();
      app.get("/about", (c) => c.text("about"));
      app.post("/contact", (c) => c.text("thanks", 201));
      app.basePath("/news").route("/", wirefeed({ site: newsSite, store: newsCatalog, log: () => {} }));
      return app;
    })()],
    ["mount('/news')", host((app) => app.mount("/news", wirefeed({ site: newsSite, store: newsCatalog, log: () => {} }).fetch))],
  ];

  it.each(mounts)("%s: every path answers as standalone, byte for byte", async (_, app) => {
    const asked = await requests();
    expect(asked.length).toBeGreaterThan(30);
    for (const [path, init] of asked) {
      const alone = await snapshot(await standalone.request(path, init));
      const mounted = await snapshot(await app.request(`/news${path}`, init));
      expect({ path, ...mounted }).toEqual({ path, ...alone });
    }
  });

  it.each(mounts)("%s: the host's routes and methods are its own", async (_, app) => {
    const about = await app.request("/about");
    expect(about.status).toBe(200);
    expect(await about.text()).toBe("about");
    expect(about.headers.get("x-content-type-options")).toBeNull();
    const contact = await app.request("/contact", { method: "POST" });
    expect(contact.status).toBe(201);
    expect(await contact.text()).toBe("thanks");
    // Outside the mount nothing is the site's: the host's not-found.
    const outside = await app.request("/rss.xml");
    expect(outside.status).toBe(404);
    expect(outside.headers.get("x-content-type-options")).toBeNull();
  });

  it("links and redirects carry the site URL's path", async () => {
    const [, app] = mounts[0]!;
    const rss = await (await app.request("/news/rss.xml")).text();
    expect(rss).toContain("<link>https://news.example/news/</link>");
    expect(rss).toContain("https://news.example/news/items/newer");
    expect(rss).not.toMatch(/https:\/\/news\.example\/(?!news\/)/);
    const moved = await app.request("/news/categories");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("https://news.example/news/categories/");
    // The mount without its slash leads to the site's front page.
    const bare = await app.request("/news");
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("https://news.example/news/");
  });

  it("a host route under the mount that the site does not have stays the host's", async () => {
    const [, app] = mounts[0]!;
    const desk = await app.request("/news/desk");
    expect(desk.status).toBe(200);
    expect(await desk.text()).toBe("desk");
    // Mounted with route, a path under the mount the site does not have is the host's 404.
    const nope = await app.request("/news/nope", { headers: { Accept: "text/html" } });
    expect(nope.status).toBe(404);
    expect(await nope.text()).toBe("404 Not Found");
  });

  it("under a path parameter: each edition resolves within its own prefix", async () => {
    const app = new Hono();
    app.route("/:edition", wirefeed({ site: newsSite, store: newsCatalog, log: () => {} }));
    const res = await app.request("/tokyo/items/older");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Older");
  });
});

describe("mounted at the root", () => {
  const standalone = wirefeed({ site: rootSite, store: rootCatalog, log: () => {} });
  const app = host((base) => base.route("/", wirefeed({ site: rootSite, store: rootCatalog, log: () => {} })));

  it("the host's routes, registered before and after the site, answer as the host wrote them", async () => {
    const bare = host(() => {});
    const about = await app.request("/about");
    expect(about.status).toBe(200);
    expect(await about.clone().text()).toBe("about");
    const contact = await app.request("/contact", { method: "POST" });
    expect(contact.status).toBe(201);
    // Exactly what the host alone answers: no header of the site's added.
    expect(await snapshot(about)).toEqual(await snapshot(await bare.request("/about")));
    expect(await snapshot(contact)).toEqual(await snapshot(await bare.request("/contact", { method: "POST" })));
    // A method the host has no route for, on a path the site does not have: the host's 404, not the site's 405.
    const put = await app.request("/contact", { method: "PUT" });
    expect(put.status).toBe(404);
    expect(await snapshot(put)).toEqual(await snapshot(await bare.request("/contact", { method: "PUT" })));
  });

  it("every path of the site answers as standalone, byte for byte", async () => {
    for (const [path, init] of await requests(rootSite, rootCatalog)) {
      const alone = await snapshot(await standalone.request(path, init));
      const mounted = await snapshot(await app.request(path, init));
      expect({ path, ...mounted }).toEqual({ path, ...alone });
    }
  });

  it("standalone, a path it does not have gets the site's own answers (404 page, 405, request limits)", async () => {
    const page = await standalone.request("/about", { headers: { Accept: "text/html" } });
    expect(page.status).toBe(404);
    expect(page.headers.get("content-security-policy")).not.toBeNull();
    expect((await standalone.request("/contact", { method: "POST" })).status).toBe(405);
    expect((await standalone.request(`/${"x".repeat(2000)}`)).status).toBe(414);
    // Mounted, the same requests are the host's.
    expect((await app.request(`/${"x".repeat(2000)}`)).status).toBe(404);
  });
});

describe("politeness within a mount", () => {
  it("counts the site's feed by its path within the mount", async () => {
    const site = testSite({ baseUrl: "https://news.example/news/", politeness: { minIntervalSeconds: 300 } });
    const app = new Hono();
    app.route("/news", wirefeed({ site, store: catalogOf(records, site), clientKey: () => "client", now: () => 0, log: () => {} }));
    expect((await app.request("/news/rss.xml")).status).toBe(200);
    const again = await app.request("/news/rss.xml");
    expect(again.status).toBe(429);
    expect(again.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
