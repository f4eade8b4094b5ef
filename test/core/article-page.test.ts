/**
 * Issue 14 items 2, 5 and 6 on the HTML an article and a list make: each
 * article's own language and direction inside the site's chrome, isolated
 * names and dates, words in the article's language, the credit agency copy
 * gets, date-only records, audio and image markup, OpenGraph, Twitter cards
 * and NewsArticle JSON-LD read back property by property.
 */
import { parse, type DefaultTreeAdapterTypes as T } from "parse5";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { renderArticlePage, renderListPage } from "../../src/core/render/html.js";
import { scriptSafeJson } from "../../src/core/render/article-sharing.js";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import { parseRecord } from "../../src/core/record.js";
import { testSite } from "../support/fixtures.js";
import { htmlText } from "../support/html.js";
import { readSample } from "../support/sample-items.js";

const site = testSite();

function sample(name: string): Article {
  const result = parseRecord(`items/${name}`, readSample(name).toString("utf8"), site);
  if (!result.ok || !("article" in result)) throw new Error(`${name} does not parse`);
  return result.article;
}

function fromRecord(slug: string, text: string): Article {
  const result = parseRecord(`items/${slug}.md`, text, site);
  if (!result.ok || !("article" in result)) throw new Error(`${slug}: ${JSON.stringify(result)}`);
  return result.article;
}

const arabic = sample("kuwait-cabinet-oil-revenue-ar.md");
const kuwait = sample("kuwait-oil-output-steady.md");
const japanPm = sample("japan-pm-seeks-nato-partnership-upgrade.md");
const seoul = sample("seoul-cyber-drill-nato.md");
const japanese = fromRecord(
  "tokyo-ja",
  `---\ntitle: "岸田首相、NATOとの協力強化を表明"\npublished: 2022-06-29T18:00:00+09:00\nupdated: 2022-06-30T09:00:00+09:00\ndateline: 東京\nsource: 共同\nlanguage: ja\nauthors:\n  - 山田花子\n---\n\n岸田文雄首相は29日、北大西洋条約機構（NATO）との協力を強化する考えを示した。\n`,
);

/** Elements of a whole document (parse5, as a browser parses it), with their ancestors' attributes at hand. */
function elementsOf(html: string) {
  const out: { tag: string; attrs: Record<string, string>; text: string; ancestors: Record<string, string>[] }[] = [];
  const textOf = (n: T.Node): string => (n.nodeName === "#text" ? (n as T.TextNode).value : "childNodes" in n ? (n as T.ParentNode).childNodes.map(textOf).join("") : "");
  const walk = (node: T.ParentNode, ancestors: Record<string, string>[]) => {
    for (const child of node.childNodes) {
      if (!("tagName" in child)) continue;
      const attrs = Object.fromEntries(child.attrs.map((a) => [a.name, a.value]));
      out.push({ tag: child.tagName, attrs, text: textOf(child), ancestors });
      walk(child, [attrs, ...ancestors]);
    }
  };
  walk(parse(html), []);
  return out;
}

/** The language and direction an element is in: its own, or its nearest ancestor's. */
const inherited = (e: { attrs: Record<string, string>; ancestors: Record<string, string>[] }, name: "lang" | "dir") =>
  [e.attrs, ...e.ancestors].find((a) => a[name] !== undefined)?.[name];

function jsonLd(html: string): Record<string, unknown> {
  const scripts = elementsOf(html).filter((e) => e.tag === "script");
  expect(scripts.map((s) => s.attrs.type)).toEqual(["application/ld+json"]);
  return JSON.parse(scripts[0]!.text) as Record<string, unknown>;
}

function metaOf(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of elementsOf(html).filter((x) => x.tag === "meta" && (x.attrs.property || x.attrs.name))) {
    const key = e.attrs.property ?? e.attrs.name!;
    out.set(key, [...(out.get(key) ?? []), e.attrs.content!]);
  }
  return out;
}

describe("direction and language", () => {
  it("the Arabic article: English chrome, the article right to left and Arabic", () => {
    const html = renderArticlePage(testSite({ copyright: "Copyright 2022 Test Wire." }), arabic);
    const els = elementsOf(html);
    expect(els.find((e) => e.tag === "html")!.attrs).toMatchObject({ lang: "en", dir: "ltr" });
    expect(els.find((e) => e.tag === "article")!.attrs).toMatchObject({ lang: "ar", dir: "rtl" });
    for (const tag of ["header", "nav", "footer"]) expect([tag, inherited(els.find((e) => e.tag === tag)!, "dir")]).toEqual([tag, "ltr"]);
    // The byline, the dates and the headline are the article's: Arabic, right to left, in Arabic words.
    const byline = els.find((e) => e.attrs.class === "byline")!;
    expect([inherited(byline, "lang"), inherited(byline, "dir")]).toEqual(["ar", "rtl"]);
    expect(byline.text).toBe("بقلم هدى الصالح");
    expect(els.find((e) => e.tag === "a" && e.attrs.rel === "author")!.text).toBe("هدى الصالح");
    expect(els.filter((e) => e.tag === "bdi").map((e) => e.text)).toContain("هدى الصالح");
    const published = els.find((e) => e.attrs.class === "published")!;
    expect(published.text).toBe("نُشر 30 يونيو 2022، 20:20 (UTC+09:00)");
    // The clock and its offset read left to right inside the right-to-left line.
    expect(els.find((e) => e.tag === "time")!.ancestors.length).toBeGreaterThan(0);
    expect(els.filter((e) => e.tag === "span" && e.attrs.dir === "ltr").map((e) => e.text)).toContain("20:20 (UTC+09:00)");
    // The desk trailer stays "(end) ha.ms", isolated left to right.
    const desk = els.find((e) => e.attrs.class === "desk")!;
    expect(desk.text).toBe("(end) ha.ms");
    expect(els.find((e) => e.tag === "bdi" && e.text === "(end) ha.ms")!.attrs.dir).toBe("ltr");
    // Categories in either script keep their own direction.
    expect(els.filter((e) => e.tag === "bdi").map((e) => e.text)).toEqual(expect.arrayContaining(["اقتصاد", "Markets"]));
  });

  it("a Japanese article gets Japanese words and dates, left to right", () => {
    const els = elementsOf(renderArticlePage(site, japanese));
    expect(els.find((e) => e.tag === "article")!.attrs).toMatchObject({ lang: "ja", dir: "ltr" });
    expect(els.find((e) => e.attrs.class === "byline")!.text).toBe("筆者：山田花子");
    expect(els.find((e) => e.attrs.class === "published")!.text).toBe("配信 2022年6月29日 18:00 (UTC+09:00)");
    expect(els.find((e) => e.attrs.class === "updated")!.text).toBe("更新 2022年6月30日 09:00 (UTC+09:00)");
  });

  it("every list item carries its own lang and dir; names and datelines are isolated", () => {
    const html = renderListPage(site, SITE_SCOPE, site.title, site.description, [arabic, kuwait, japanese]);
    const items = elementsOf(html).filter((e) => e.tag === "li" && e.ancestors[0]?.class === "articles");
    expect(items.map((i) => [i.attrs.lang, i.attrs.dir])).toEqual([["ar", "rtl"], ["en", "ltr"], ["ja", "ltr"]]);
    const datelines = elementsOf(html).filter((e) => e.attrs.class === "dateline");
    expect(datelines.map((d) => d.text)).toEqual(["الكويت", "KUWAIT", "東京"]);
    // Each dateline is a <bdi> of its own.
    const isolated = elementsOf(html).filter((e) => e.tag === "bdi" && e.ancestors[0]?.class === "dateline");
    expect(isolated.map((d) => d.text)).toEqual(["الكويت", "KUWAIT", "東京"]);
    // The Arabic item's date reads day, month, year in Arabic: not the English date scrambled by the bidi algorithm.
    expect(items[0]!.text).toContain("30 يونيو 2022، 20:20 (UTC+09:00)");
    expect(items[1]!.text).toContain("Updated");
    expect(items[2]!.text).toContain("更新");
  });
});

describe("wire copy as the wire shows it", () => {
  it("a date-only record shows its day, never 00:00, and says so to machines too", () => {
    expect(japanPm.dateOnly).toEqual({ published: true });
    const html = renderArticlePage(site, japanPm);
    const published = elementsOf(html).find((e) => e.attrs.class === "published")!;
    expect(published.text).toBe("Published 29 June 2022");
    expect(elementsOf(html).find((e) => e.tag === "time")!.attrs.datetime).toBe("2022-06-29");
    expect(htmlText(renderListPage(site, SITE_SCOPE, site.title, site.description, [japanPm]))).not.toContain("00:00");
    expect(jsonLd(html).datePublished).toBe("2022-06-29");
  });

  it("agency copy with no named author is credited to the agency, not the site's desk", () => {
    const html = renderArticlePage(site, japanPm);
    expect(japanPm.authors.map((a) => a.name)).toEqual([site.author.name]);
    expect(elementsOf(html).find((e) => e.attrs.class === "byline")!.text).toBe("By KUNA");
    expect(html).not.toContain(`By ${site.author.name}`);
    expect(jsonLd(html).author).toEqual([{ "@type": "Organization", name: "KUNA" }]);
  });

  it("named authors keep their byline, each linking to their page", () => {
    const els = elementsOf(renderArticlePage(site, seoul));
    expect(els.find((e) => e.attrs.class === "byline")!.text).toBe("By Kim Min-ji, Lee Sun-woo");
    expect(els.filter((e) => e.attrs.rel === "author").map((e) => e.attrs.href)).toEqual(["https://news.example/authors/kim-min-ji/", "https://news.example/authors/lee-sun-woo/"]);
  });

  it("a corrected story is marked Updated, with when", () => {
    const updated = elementsOf(renderArticlePage(site, kuwait)).find((e) => e.attrs.class === "updated")!;
    expect(updated.text).toBe("Updated 30 June 2022, 14:15 (UTC+09:00)");
  });

  it("an audio enclosure plays on the page, loading nothing until asked; a download link stays", () => {
    const els = elementsOf(renderArticlePage(site, kuwait));
    const audio = els.find((e) => e.tag === "audio")!;
    expect(audio.attrs).toEqual({ controls: "", preload: "none", src: "https://media.wirefeed.example/audio/kuwait-oil-briefing.mp3" });
    const download = els.find((e) => e.tag === "a" && e.attrs.download !== undefined)!;
    expect(download.attrs.href).toBe(audio.attrs.src);
    expect(els.find((e) => e.attrs.class === "about")!.text).toBe("(MP3, 1.8 MB)");
  });

  it("an image carries its dimensions when the record gives them, and none when it does not", () => {
    expect(elementsOf(renderArticlePage(site, seoul)).find((e) => e.tag === "img")!.attrs).toEqual({
      src: "https://media.wirefeed.example/photos/seoul-cyber-drill.jpg",
      alt: "Analysts at a cyber defence centre",
      decoding: "async",
    });
    const sized = fromRecord("sized", `---\ntitle: Sized\npublished: 2022-06-29T09:00:00Z\nimage:\n  url: https://media.example/a.jpg\n  width: 1200\n  height: 800\n---\n\nText.\n`);
    expect(sized.image).toMatchObject({ width: 1200, height: 800 });
    expect(elementsOf(renderArticlePage(site, sized)).find((e) => e.tag === "img")!.attrs).toMatchObject({ width: "1200", height: "800" });
  });

  it("an image with one side only, or a side out of range, is an error naming the field", () => {
    const errors = (image: string) => {
      const result = parseRecord("items/x.md", `---\ntitle: X\npublished: 2022-06-29T09:00:00Z\nimage:\n${image}\n---\n\nText.\n`, site);
      return result.ok ? [] : result.errors.map((e) => e.field);
    };
    expect(errors("  url: https://media.example/a.jpg\n  width: 1200")).toEqual(["image.height"]);
    expect(errors("  url: https://media.example/a.jpg\n  width: 0\n  height: 10")).toEqual(["image.width"]);
    expect(errors("  url: https://media.example/a.jpg\n  width: 10\n  height: 1.5")).toEqual(["image.height"]);
  });
});

describe("sharing: OpenGraph, Twitter card and NewsArticle JSON-LD", () => {
  it("the Seoul story: every NewsArticle property from the record", () => {
    const ld = jsonLd(renderArticlePage(site, seoul));
    expect(ld).toEqual({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: seoul.title,
      description: expect.stringMatching(/^South Korea took part/),
      url: "https://news.example/items/seoul-cyber-drill-nato",
      mainEntityOfPage: "https://news.example/items/seoul-cyber-drill-nato",
      inLanguage: "en",
      datePublished: "2022-06-28T01:00:00.000Z",
      dateModified: "2022-06-28T01:00:00.000Z",
      author: [
        { "@type": "Person", name: "Kim Min-ji" },
        { "@type": "Person", name: "Lee Sun-woo" },
      ],
      publisher: { "@type": "Organization", name: "Test Wire", url: "https://news.example/" },
      image: [{ "@type": "ImageObject", url: "https://media.wirefeed.example/photos/seoul-cyber-drill.jpg", caption: "Analysts at a cyber defence centre" }],
      locationCreated: { "@type": "Place", name: "SEOUL" },
      sourceOrganization: { "@type": "Organization", name: "Yonhap" },
      articleSection: "Security",
      keywords: "Security, Cyber",
    });
  });

  it("a corrected story's dateModified is its update; an author's URL is kept", () => {
    const ld = jsonLd(renderArticlePage(site, kuwait));
    expect(ld.datePublished).toBe("2022-06-29T15:40:00.000Z");
    expect(ld.dateModified).toBe("2022-06-30T05:15:00.000Z");
    expect(ld.author).toEqual([{ "@type": "Person", name: "Hamad Al-Ali", url: "https://wirefeed.example/staff/hamad-al-ali" }]);
    expect(ld.locationCreated).toEqual({ "@type": "Place", name: "KUWAIT" });
    expect(jsonLd(renderArticlePage(site, arabic)).inLanguage).toBe("ar");
  });

  it("OpenGraph and Twitter card meta", () => {
    const meta = metaOf(renderArticlePage(site, seoul));
    expect(Object.fromEntries([...meta].filter(([k]) => /^(og|article|twitter):/.test(k)))).toEqual({
      "og:type": ["article"],
      "og:site_name": ["Test Wire"],
      "og:title": [seoul.title],
      "og:description": [expect.stringMatching(/^South Korea took part/)],
      "og:url": ["https://news.example/items/seoul-cyber-drill-nato"],
      "og:locale": ["en"],
      "article:published_time": ["2022-06-28T01:00:00.000Z"],
      "article:tag": ["Security", "Cyber"],
      "og:image": ["https://media.wirefeed.example/photos/seoul-cyber-drill.jpg"],
      "og:image:type": ["image/jpeg"],
      "og:image:alt": ["Analysts at a cyber defence centre"],
      "twitter:card": ["summary_large_image"],
      "twitter:title": [seoul.title],
      "twitter:description": [expect.stringMatching(/^South Korea took part/)],
      "twitter:image": ["https://media.wirefeed.example/photos/seoul-cyber-drill.jpg"],
      "twitter:image:alt": ["Analysts at a cyber defence centre"],
    });
    const plain = metaOf(renderArticlePage(site, arabic));
    expect(plain.get("twitter:card")).toEqual(["summary"]);
    expect(plain.get("og:locale")).toEqual(["ar"]);
    expect(plain.get("og:image")).toBeUndefined();
  });

  it("JSON-LD cannot end its script element: <, > and & are escaped and read back the same", () => {
    const hostile = fromRecord("hostile", `---\ntitle: "</script><script>alert(1)</script> <!-- & \u2028"\npublished: 2022-06-29T09:00:00Z\n---\n\nText.\n`);
    const html = renderArticlePage(site, hostile);
    const script = /<script type="application\/ld\+json">([^]*?)<\/script>/.exec(html)![1]!;
    expect(script).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(script).headline).toBe(hostile.title);
    expect(jsonLd(html).headline).toBe(hostile.title);
    expect(JSON.parse(scriptSafeJson({ s: "<&>\u2029" }))).toEqual({ s: "<&>\u2029" });
  });
});
