/**
 * Issue 11, items 4, 6, 7: the bundled site (a temp copy of its records, kept
 * in test/fixtures/items, and
 * site.config.json) served by the real Node entry over a socket: wire credit
 * in every format, several authors, stable feed ids, and no internal 404.
 */
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySamples } from "../support/sample-items.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";

let dir = "";
let server: RunningServer;
let other: RunningServer;

const SEOUL = "tag:wirefeed.example,2022-06-28:seoul-cyber-drill-nato";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wirefeed-bundled-"));
  const items = copySamples(join(dir, "items"));
  copyFileSync("site.config.json", join(dir, "site.config.json"));
  const env = { ITEMS_DIR: items, WIREFEED_CONFIG: join(dir, "site.config.json") };
  // Port 0: SITE_URL is what a deployment would set; the two differ only in host.
  [server, other] = await Promise.all([startServer({ ...env, SITE_URL: "http://127.0.0.1:1/" }), startServer({ ...env, SITE_URL: "https://news.example/" })]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), other?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const text = async (s: RunningServer, path: string) => {
  const res = await httpGet(s.base, path);
  expect(res.status, path).toBe(200);
  return res.body.toString("utf8");
};

describe("wire credit (item 4)", () => {
  it("RSS: content:encoded opens with the dateline and agency, dc:source and dcterms:spatial carry them", async () => {
    const item = parseRssFeed(await text(server, "/rss.xml")).items!.find((i) => i.guid?.value === SEOUL)!;
    expect(item.content!.encoded).toMatch(/^<p><strong class="dateline">SEOUL \(Yonhap\) —<\/strong> South Korea took part/);
    expect(item.dc!.sources).toEqual(["Yonhap"]);
    expect((item as { dcterms?: { spatials?: string[] } }).dcterms?.spatials).toEqual(["SEOUL"]);
  });

  it("Atom: content opens with the credit; the entry has dc:source and dcterms:spatial", async () => {
    const entry = parseAtomFeed(await text(server, "/atom.xml")).entries!.find((e) => e.id === SEOUL)!;
    expect(entry.content!.value).toMatch(/^<p><strong class="dateline">SEOUL \(Yonhap\) —<\/strong> South Korea/);
    expect(entry.dc!.sources).toEqual(["Yonhap"]);
    expect((entry as { dcterms?: { spatials?: string[] } }).dcterms?.spatials).toEqual(["SEOUL"]);
  });

  it("JSON Feed: content_html opens with the credit; _wirefeed holds source and dateline", async () => {
    const raw = JSON.parse(await text(server, "/feed.json"));
    parseJsonFeed(raw);
    const item = raw.items.find((i: { id: string }) => i.id === SEOUL);
    expect(item.content_html).toMatch(/^<p><strong class="dateline">SEOUL \(Yonhap\) —<\/strong> South Korea/);
    expect(item._wirefeed).toEqual({ source: "Yonhap", dateline: "SEOUL" });
  });

  it("the credit reads as the page shows it, and the desk trailer stays out of every feed", async () => {
    const page = await text(server, "/items/kuwait-oil-output-steady");
    const credit = /<strong class="dateline">([^<]*)<\/strong>/.exec(page)![1]!;
    expect(credit).toBe("KUWAIT (KUNA) —");
    const opening = `<p><strong class="dateline">${credit}</strong> `;
    const url = "http://127.0.0.1:1/items/kuwait-oil-output-steady";
    const rss = parseRssFeed(await text(server, "/rss.xml")).items!.find((i) => i.link === url)!;
    const atom = parseAtomFeed(await text(server, "/atom.xml")).entries!.find((e) => e.links![0]!.href === url)!;
    const json = JSON.parse(await text(server, "/feed.json")).items.find((i: { url: string }) => i.url === url);
    for (const content of [rss.content!.encoded!, atom.content!.value!, json.content_html as string]) {
      expect(content.startsWith(opening)).toBe(true);
      expect(content).not.toContain("ha.gb");
    }
    expect(page).toContain("(end) ha.gb");
  });
});

describe("several authors (item 6)", () => {
  it("RSS has one dc:creator with every name; Atom and JSON Feed list each author", async () => {
    const rssText = await text(server, "/rss.xml");
    const item = parseRssFeed(rssText).items!.find((i) => i.guid?.value === SEOUL)!;
    expect(item.dc!.creators).toEqual(["Kim Min-ji, Lee Sun-woo"]);
    const entry = parseAtomFeed(await text(server, "/atom.xml")).entries!.find((e) => e.id === SEOUL)!;
    expect(entry.authors!.map((a) => a.name)).toEqual(["Kim Min-ji", "Lee Sun-woo"]);
    const json = JSON.parse(await text(server, "/feed.json"));
    expect(json.items.find((i: { id: string }) => i.id === SEOUL).authors.map((a: { name: string }) => a.name)).toEqual(["Kim Min-ji", "Lee Sun-woo"]);
  });
});

describe("stable ids and links (item 7)", () => {
  const atomId = async (s: RunningServer, path: string) => parseAtomFeed(await text(s, path)).id;

  it("every Atom feed has a tag: id that does not change with the host", async () => {
    const paths = ["/atom.xml", "/categories/security/atom.xml", "/authors/kim-min-ji/atom.xml", "/languages/ar/atom.xml"];
    const ids = await Promise.all(paths.map((p) => atomId(server, p)));
    expect(ids[0]).toBe("tag:wirefeed.example,2022:feed/");
    expect(ids[1]).toBe("tag:wirefeed.example,2022:feed/categories/security/");
    for (const id of ids) expect(id).toMatch(/^tag:wirefeed\.example,2022:/);
    expect(new Set(ids).size).toBe(paths.length);
    expect(await Promise.all(paths.map((p) => atomId(other, p)))).toEqual(ids);
  });

  it("the site author's URL follows SITE_URL", async () => {
    const feedA = parseAtomFeed(await text(server, "/atom.xml"));
    const feedB = parseAtomFeed(await text(other, "/atom.xml"));
    expect(feedA.authors![0]!.uri).toBe("http://127.0.0.1:1/");
    expect(feedB.authors![0]!.uri).toBe("https://news.example/");
    expect(JSON.parse(await text(other, "/feed.json")).authors[0].url).toBe("https://news.example/");
  });
});

describe("internal links of the bundled site (item 7)", () => {
  it("every internal URL reachable from / answers 200 (no 404)", async () => {
    const site = "http://127.0.0.1:1/";
    const seen = new Set<string>(["/"]);
    const queue = ["/"];
    const failures: string[] = [];
    while (queue.length > 0 && seen.size < 2000) {
      const path = queue.shift()!;
      const res = await httpGet(server.base, path);
      if (res.status !== 200) failures.push(`${path}: ${res.status}`);
      // RSS and Atom keep their old <?xml-stylesheet?> line so readers' bytes stay as they were
      // (FeedModel.stylesheetUrl); nothing follows it, and its /feed.xsl is gone: not a link.
      const body = res.body.toString("utf8").replace(/<\?xml-stylesheet [^>]*\?>/, "");
      // Links in pages (href/src), feeds (link, url, uri, xmlUrl, JSON strings) and OPML.
      for (const m of body.matchAll(/(?:href|src|xmlUrl|htmlUrl|url)="([^"]+)"|<(?:link|uri|url)>([^<]+)<|"(?:url|home_page_url|feed_url|next_url|image)": "([^"]+)"/g)) {
        const raw = (m[1] ?? m[2] ?? m[3]!).replace(/&amp;/g, "&");
        const abs = new URL(raw, site + path.slice(1));
        if (abs.origin !== new URL(site).origin) continue;
        const target = abs.pathname + abs.search;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    expect(failures).toEqual([]);
    // The site's pages, feeds, scopes and articles were all reached, not just the front page.
    expect(seen.size).toBeGreaterThan(60);
    expect(seen).toContain("/items/seoul-cyber-drill-nato");
  });
});

/** Whether a program is on PATH (CI installs newsboat: .ci/run). */
function onPath(program: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("OPML import into a real reader (item 5)", () => {
  it.skipIf(!onPath("newsboat"))("newsboat -i of each OPML gives exactly one subscription per scope", async () => {
    const scopes = parseOpmlScopes(await text(server, "/feeds.opml"));
    // The bundled site: the site, 8 categories, 6 authors, 2 languages.
    expect(scopes).toBe(17);
    for (const [file, ending] of [["feeds.opml", "/atom.xml"], ["feeds.rss.opml", "/rss.xml"], ["feeds.atom.opml", "/atom.xml"], ["feeds.json.opml", "/feed.json"]] as const) {
      const home = mkdtempSync(join(tmpdir(), "wirefeed-newsboat-"));
      try {
        writeFileSync(join(home, "list.opml"), await text(server, `/${file}`));
        for (const f of ["config", "urls"]) writeFileSync(join(home, f), "");
        execFileSync("newsboat", ["-C", join(home, "config"), "-u", join(home, "urls"), "-c", join(home, "cache.db"), "-i", join(home, "list.opml")], {
          env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home },
          stdio: ["ignore", "pipe", "pipe"],
          timeout: 30_000,
        });
        const urls = readFileSync(join(home, "urls"), "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => l.split(" ")[0]!);
        expect(urls, file).toHaveLength(scopes);
        expect(new Set(urls).size, file).toBe(scopes);
        for (const url of urls) expect(url.endsWith(ending), `${file}: ${url}`).toBe(true);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
  });
});

function parseOpmlScopes(opml: string): number {
  return [...opml.matchAll(/<outline [^>]*xmlUrl=/g)].length;
}
