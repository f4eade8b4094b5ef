/**
 * Issue 14 item 2: the chrome is in the site's language and direction. A
 * site configured in Arabic or Japanese shows no English words of its own
 * on any page it makes (lists and their pagers, index pages, /feeds, a
 * feed's view, 404 and 410 pages), and its scope feeds are titled in its
 * language; an English site keeps its words.
 */
import { describe, expect, it } from "vitest";
import { article, catalogOf, record, testSite } from "../support/fixtures.js";
import { createApp } from "../../src/http/app.js";
import { renderGonePage } from "../../src/core/render/html.js";
import { stringsFor } from "../../src/core/render/page-strings.js";
import { tombstoneOf } from "../../src/core/tombstone.js";
import { htmlText } from "../support/html.js";

const hour = (h: number) => new Date(Date.UTC(2022, 5, 28, h)).toISOString();
const records = Object.fromEntries(
  Array.from({ length: 5 }, (_, i) => [`a-${i}.md`, record({ title: `A ${i}`, published: hour(i), categories: ["Markets"], authors: ["Kim Min-ji"] })]),
);

/** Words of the English chrome (each appears on some page below when the site is English). */
const ENGLISH = [
  "Newer", "Older", "Page 1 of", "Category", "Categories", "Authors", "Languages", "Preview", "Copy a feed",
  "Follow this feed", "In this feed now", "The same feed in", "Not found", "There is no page", "Withdrawn", "was withdrawn",
  "articles by", "Articles in", "latest articles", "The whole site", "All feeds", "Latest articles",
];

const PATHS = ["/", "/page/2/", "/categories/", "/authors/", "/languages/", "/categories/markets/", "/authors/kim-min-ji/", "/feeds", "/feeds/rss", "/feeds/categories/markets/atom", "/no-such-page/"];

async function pages(language: string): Promise<Map<string, string>> {
  const site = testSite({ feedSize: 2, language });
  const catalog = catalogOf(records, site);
  const app = createApp({ site, catalog: () => catalog, log: () => {} });
  const out = new Map<string, string>();
  for (const path of PATHS) {
    const res = await app.request(path, { headers: { accept: "text/html" } });
    expect(res.headers.get("content-type"), path).toBe("text/html; charset=utf-8");
    out.set(path, await res.text());
  }
  const gone = article("gone", { title: "Gone story" }, undefined, site);
  out.set("410", renderGonePage(site, tombstoneOf(gone, new Date(Date.UTC(2022, 5, 30)))));
  const feed = await app.request("/authors/kim-min-ji/atom.xml");
  out.set("atom", await feed.text());
  return out;
}

/** The page's text (what a reader sees) and the attributes a reader hears or sees (title, aria-label). */
function readable(html: string): string {
  return `${htmlText(html)} ${[...html.matchAll(/(?:aria-label|content|title)="([^"]*)"/g)].map((m) => m[1]).join(" ")}`;
}

describe("pages in the site's language", () => {
  it("an English site shows each English chrome word somewhere (so the checks below can fail)", async () => {
    const all = [...(await pages("en")).values()].map(readable).join("\n");
    for (const word of ENGLISH) expect(all, word).toContain(word);
  });

  for (const language of ["ar", "ja"]) {
    it(`a site in ${language}: every page's chrome is in ${language}, none of it English`, async () => {
      const s = stringsFor(language);
      const made = await pages(language);
      for (const [path, html] of made) {
        if (path === "atom") continue;
        expect(html, path).toContain(`<html lang="${language}" dir="${language === "ar" ? "rtl" : "ltr"}">`);
        const text = readable(html);
        for (const word of ENGLISH) expect(text, `${path}: "${word}"`).not.toContain(word);
      }
      expect(made.get("/page/2/")).toContain(s.pageOf(2, 3));
      expect(made.get("/page/2/")).toContain(s.newer);
      expect(made.get("/categories/")).toContain(`<h1>${s.kindHeadings.category}</h1>`);
      expect(made.get("/feeds")).toContain(s.preview);
      expect(made.get("/feeds/rss")).toContain(s.followHeading);
      expect(made.get("/feeds/rss")).toContain(s.inFeedNow);
      expect(made.get("/no-such-page/")).toContain(`<h1>${s.notFound}</h1>`);
      expect(made.get("410")).toContain(`<h1>${s.withdrawn}</h1>`);
      // The scope feed.s own title is in the site's words too.
      expect(made.get("atom")).toContain(`<title>${s.scopeTitle("author", "Test Wire", "Kim Min-ji")}</title>`);
    });
  }
});
