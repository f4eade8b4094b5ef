/**
 * renderRss writes each article's item once and keeps it (per Article
 * object and whether its language is the feed's), then splices the kept
 * items into the channel. What it gives must be the document `feed` writes
 * for the whole model in one go (renderRssWhole), whether the items were
 * kept or not.
 */
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { feedModel, siteFeed } from "../../src/core/feed-model.js";
import { renderRss, renderRssWhole } from "../../src/core/render/rss.js";
import { scopePath } from "../../src/core/scopes.js";
import { article, testSite } from "../support/fixtures.js";
import { child, children, parseXml } from "../support/xml.js";

const site = testSite();
/** New objects of the same articles: nothing kept for them yet. */
const fresh = (articles: readonly Article[]) => articles.map((a) => structuredClone(a));

const stories = () => [
  article("media", { title: "Cranes & <ships>", published: "2022-06-29T10:00:00+09:00", image: { url: "https://img.example/a.jpg", alt: "A" }, dateline: "TOKYO", source: "Kyodo" }),
  // Its content holds what the splicing looks for: an item end tag, CDATA ends, the dc namespace as `feed` declares it.
  article("tricky", { title: "Tricky", published: "2022-06-29T09:00:00+09:00", updated: "2022-06-30T00:00:00Z", language: "ja" }, "`</item>` and ]]> twice ]]> and xmlns:dc=\"http://purl.org/dc/elements/1.1/\""),
  article("plain", { title: "Plain", published: "2022-06-29T08:00:00+09:00" }),
];

describe("RSS items kept between renders", () => {
  it("the spliced document is the whole-document render, first and again with the items kept", () => {
    const articles = stories();
    const model = siteFeed(site, articles);
    const whole = renderRssWhole(siteFeed(site, fresh(articles)));
    // In one go (nothing met before), then item by item (met again), then from the kept items.
    expect(renderRss(model)).toBe(whole);
    expect(renderRss(model)).toBe(whole);
    expect(renderRss(model)).toBe(whole);
    const items = children(child(parseXml(whole), "channel"), "item");
    expect(items.map((i) => child(i, "title").text)).toEqual(["Cranes & <ships>", "Tricky", "Plain"]);
  });

  it("an item kept for a feed of one language is written anew for a feed of another (dc:language)", () => {
    const articles = stories();
    const site1 = renderRss(siteFeed(site, articles));
    const ja = feedModel(site, { kind: "language", slug: "ja", label: "ja", path: scopePath("language", "ja") }, articles);
    const jaXml = renderRss(ja);
    expect(jaXml).toBe(renderRssWhole({ ...ja, articles: fresh(articles) }));
    const languages = (xml: string) => children(child(parseXml(xml), "channel"), "item").map((i) => children(i, "dc:language")[0]?.text);
    expect(languages(site1)).toEqual([undefined, "ja", undefined]);
    expect(languages(jaXml)).toEqual(["en", undefined, "en"]);
    expect(renderRss(siteFeed(site, articles))).toBe(site1);
  });

  it("after a publish (one new article, the others kept), feed history, hub and an empty feed", () => {
    const articles = stories();
    renderRss(siteFeed(site, articles));
    const added = [article("new", { title: "New", published: "2022-06-30T10:00:00+09:00" }), ...articles.slice(0, 2)];
    const history = { complete: true, archive: true, current: { rss: "https://news.example/rss.xml", atom: "", json: "" } };
    for (const model of [siteFeed(site, added), { ...siteFeed(site, added), history, hub: "https://hub.example/" }, siteFeed(site, [])]) {
      expect(renderRss(model)).toBe(renderRssWhole({ ...model, articles: fresh(model.articles) }));
    }
  });

  it("a feed where no item has content:encoded (a body that sanitizes to nothing) still binds dc", () => {
    const empty = article("empty", { title: "Empty" }, "<script>alert(1)</script>");
    const model = siteFeed(site, [empty]);
    const xml = renderRss(model);
    expect(xml).toBe(renderRssWhole(siteFeed(site, fresh([empty]))));
    expect(xml).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
  });
});
