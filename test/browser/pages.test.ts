/**
 * The pages a person opens, in a real browser (Debian's headless Chromium):
 * the index, an English and the Arabic article, /feeds, and /rss.xml and
 * /atom.xml opened as a browser opens them (a navigation, sent to the
 * feed's HTML view: no XSLT, so no deprecation banner). DOM assertions on
 * what Chromium built, and screenshots at phone (390 px) and desktop
 * (1280 px) widths, light and dark, kept in .cache/screenshots (git-ignored)
 * for a person to look at.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, type DefaultTreeAdapterTypes as T } from "parse5";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copySamples } from "../support/sample-items.js";
import { startServer, type RunningServer } from "../support/server.js";

const run = promisify(execFile);
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"];
const SCREENSHOTS = ".cache/screenshots";

let server: RunningServer;
const temps: string[] = [];

/** A Japanese story next to the samples, so the index shows all three scripts. */
const JAPANESE = `---
title: "岸田首相、NATOとの協力強化を表明　欧州とアジアの安全保障は不可分"
published: 2022-06-30T18:00:00+09:00
dateline: 東京
source: 共同
language: ja
categories:
  - 日本
authors:
  - 山田花子
---

岸田文雄首相は30日、北大西洋条約機構（NATO）首脳会議で演説し、欧州とアジアの安全保障は不可分だとして、NATOとの協力を大幅に強化する考えを示した。
`;

async function chromium(...args: string[]): Promise<string> {
  if (!CHROMIUM) throw new Error("Chromium not found: apt-get install chromium (.ci/run does this)");
  const profile = mkdtempSync(join(tmpdir(), "wirefeed-chromium-"));
  temps.push(profile);
  const { stdout } = await run(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 });
  return stdout;
}

/** A port that was free a moment ago, so SITE_URL can name the server's own origin (its stylesheet must load). */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface El {
  tag: string;
  attrs: Record<string, string>;
  text: string;
  ancestors: Record<string, string>[];
}

/** The DOM Chromium built, flattened: every element with its text and its ancestors' attributes. */
function dom(html: string): El[] {
  const out: El[] = [];
  const textOf = (n: T.Node): string =>
    n.nodeName === "#text" ? (n as T.TextNode).value : "childNodes" in n ? (n as T.ParentNode).childNodes.map(textOf).join("") : "";
  const walk = (node: T.ParentNode, ancestors: Record<string, string>[]) => {
    for (const child of node.childNodes) {
      if (!("tagName" in child)) continue;
      const attrs = Object.fromEntries(child.attrs.map((a) => [a.name, a.value]));
      out.push({ tag: child.tagName, attrs, text: textOf(child).replace(/\s+/g, " ").trim(), ancestors });
      walk(child, [attrs, ...ancestors]);
    }
  };
  walk(parse(html), []);
  return out;
}

function one(els: El[], test: (e: El) => boolean): El {
  const found = els.filter(test);
  expect(found.length).toBeGreaterThan(0);
  return found[0]!;
}

const inherited = (e: El, name: string) => [e.attrs, ...e.ancestors].find((a) => a[name] !== undefined)?.[name];

const PAGES = [
  ["index", "/"],
  ["article-en", "/items/kuwait-oil-output-steady"],
  ["article-ar", "/items/kuwait-cabinet-oil-revenue-ar"],
  ["feeds", "/feeds"],
  ["rss", "/rss.xml"],
  ["atom", "/atom.xml"],
] as const;
const WIDTHS = [390, 1280] as const;

beforeAll(async () => {
  const items = copySamples();
  temps.push(items);
  writeFileSync(join(items, "tokyo-kishida-nato-ja.md"), JAPANESE);
  const port = await freePort();
  server = await startServer({ PORT: String(port), SITE_URL: `http://127.0.0.1:${port}/`, ITEMS_DIR: items, ACCESS_LOG: "off" });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  for (const p of temps) rmSync(p, { recursive: true, force: true });
});

describe("what the browser builds", () => {
  it("/rss.xml and /atom.xml opened in a browser become the feed's page: what it is, its address, its items", async () => {
    for (const [file, view] of [
      ["rss.xml", "feeds/rss"],
      ["atom.xml", "feeds/atom"],
    ] as const) {
      const els = dom(await chromium("--dump-dom", `${server.base}/${file}`));
      // The page Chromium shows is the view's, at its own URL: it followed the 303.
      expect(one(els, (e) => e.tag === "link" && e.attrs.rel === "canonical").attrs.href).toBe(`${server.base}/${view}`);
      expect(one(els, (e) => e.tag === "h1").text).toBe("Wirefeed Newsroom");
      expect(one(els, (e) => e.attrs.id === "subscribe").text).toBe("Follow this feed in a feed reader");
      expect(one(els, (e) => e.tag === "a" && e.attrs.class === "address").attrs.href).toBe(`${server.base}/${file}`);
      expect(one(els, (e) => e.tag === "code" && e.attrs.class === "url").text).toBe(`${server.base}/${file}`);
      const titles = els.filter((e) => e.tag === "h2" && e.ancestors[1]?.class === "articles").map((e) => e.text);
      expect(titles).toContain("Japan PM seeks upgrade of NATO partnership after Russia's war");
      expect(titles).toContain("مجلس الوزراء الكويتي يبحث إيرادات النفط وخطة الميزانية");
      expect(titles.length).toBe(6);
      // Neither raw XML nor an XSLT-made document.
      expect(els.some((e) => e.tag === "channel" || e.tag === "feed" || e.tag === "rss")).toBe(false);
    }
  });

  it("the Arabic article: English chrome left to right, the story right to left, its words Arabic", async () => {
    const els = dom(await chromium("--dump-dom", `${server.base}/items/kuwait-cabinet-oil-revenue-ar`));
    expect(one(els, (e) => e.tag === "html").attrs).toMatchObject({ lang: "en", dir: "ltr" });
    expect(inherited(one(els, (e) => e.tag === "nav"), "dir")).toBe("ltr");
    expect(inherited(one(els, (e) => e.tag === "footer"), "dir")).toBe("ltr");
    expect(one(els, (e) => e.tag === "footer").text).toBe("Copyright 2022 Wirefeed. Wire copy belongs to its agencies.");
    expect(one(els, (e) => e.tag === "article").attrs).toMatchObject({ lang: "ar", dir: "rtl" });
    expect(one(els, (e) => e.attrs.class === "byline").text).toBe("بقلم هدى الصالح");
    expect(one(els, (e) => e.attrs.class === "published").text).toBe("نُشر 30 يونيو 2022، 20:20 (UTC+09:00)");
    expect(one(els, (e) => e.attrs.class === "desk").text).toBe("(end) ha.ms");
    const ld = JSON.parse(one(els, (e) => e.tag === "script").text);
    expect(ld).toMatchObject({ "@type": "NewsArticle", inLanguage: "ar", locationCreated: { "@type": "Place", name: "الكويت" } });
  });

  it("the English article: byline, Updated marked, the audio on the page", async () => {
    const els = dom(await chromium("--dump-dom", `${server.base}/items/kuwait-oil-output-steady`));
    expect(one(els, (e) => e.attrs.class === "byline").text).toBe("By Hamad Al-Ali");
    expect(one(els, (e) => e.attrs.class === "updated").text).toBe("Updated 30 June 2022, 14:15 (UTC+09:00)");
    expect(one(els, (e) => e.tag === "audio").attrs).toMatchObject({ controls: "", preload: "none" });
    expect(one(els, (e) => e.attrs.property === "og:title").attrs.content).toBe("Kuwait keeps crude output steady as OPEC+ talks near");
  });

  it("the index: every item its own lang and dir; the date-only story without a time; agency copy credited", async () => {
    const els = dom(await chromium("--dump-dom", `${server.base}/`));
    const items = els.filter((e) => e.tag === "li" && e.ancestors[0]?.class === "articles");
    expect(items.map((i) => `${i.attrs.lang}/${i.attrs.dir}`)).toEqual(["ar/rtl", "ja/ltr", "en/ltr", "en/ltr", "en/ltr", "en/ltr"]);
    const japan = items.find((i) => i.text.includes("Japan PM seeks"))!;
    expect(japan.text).toContain("TOKYO · 29 June 2022");
    expect(japan.text).not.toContain("00:00");
    expect(items[1]!.text).toContain("2022年6月30日 18:00 (UTC+09:00)");
    const article = dom(await chromium("--dump-dom", `${server.base}/items/japan-pm-seeks-nato-partnership-upgrade`));
    expect(one(article, (e) => e.attrs.class === "byline").text).toBe("By KUNA");
  });

  it("/feeds: grouped by kind, headings without the site's name, Arabic addresses readable", async () => {
    const els = dom(await chromium("--dump-dom", `${server.base}/feeds`));
    const groups = els.filter((e) => e.tag === "h2" && e.ancestors[0]?.class === "scope-group").map((e) => e.text);
    // The feeds by kind of scope, then the sitemaps (for search engines).
    expect(groups).toEqual(["The whole site", "Categories", "Authors", "Languages", "Sitemaps"]);
    const headings = els.filter((e) => e.tag === "h3").map((e) => e.text);
    expect(headings.filter((h) => h.includes("Wirefeed Newsroom"))).toEqual(["Wirefeed Newsroom"]);
    expect(headings).toContain("اقتصاد");
    expect(els.filter((e) => e.tag === "code").map((e) => e.text)).toContain(`${server.base}/categories/اقتصاد/rss.xml`);
  });
});

const pixel = (png: PNG, x: number, y: number) => {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!] as const;
};

/** Rows holding text-coloured pixels: a blank page, or one without its stylesheet, reads differently. */
function inkRows(png: PNG, ink: (r: number, g: number, b: number) => boolean): number {
  let rows = 0;
  for (let y = 0; y < png.height; y++) {
    let n = 0;
    for (let x = 0; x < png.width; x++) if (ink(...pixel(png, x, y))) n++;
    if (n > 3) rows++;
  }
  return rows;
}

const SHOTS = PAGES.flatMap(([name, path]) => WIDTHS.map((width) => [name, path, width] as const));

describe("screenshots", () => {
  it.each(SHOTS)("%s (%s) at %i px, light and dark", async (name, path, width) => {
    for (const scheme of ["light", "dark"] as const) {
      const out = join(SCREENSHOTS, `${name}-${width}${scheme === "dark" ? "-dark" : ""}.png`);
      rmSync(out, { force: true });
      const dark = scheme === "dark" ? ["--blink-settings=preferredColorScheme=0"] : [];
      await chromium(`--window-size=${width},1600`, ...dark, `--screenshot=${out}`, `${server.base}${path}`);
      const png = PNG.sync.read(readFileSync(out));
      expect(png.width).toBe(width);
      // The stylesheet applied: the page background is the site's, light or dark, not the browser's white.
      expect([scheme, [...pixel(png, 2, png.height - 2)]]).toEqual([scheme, scheme === "light" ? [0xfb, 0xfa, 0xf7] : [0x15, 0x14, 0x12]]);
      // The masthead's red mark is drawn.
      let red = 0;
      for (let y = 0; y < 60; y++) {
        for (let x = 0; x < Math.min(width, 400); x++) {
          const [r, g, b] = pixel(png, x, y);
          if (r > 150 && g < 130 && b < 130) red++;
        }
      }
      expect([scheme, red > 20]).toEqual([scheme, true]);
      // Text that stands out from the background (dark on light, light on dark) on many rows.
      const luma = (r: number, g: number, b: number) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
      const ink = scheme === "light" ? (r: number, g: number, b: number) => luma(r, g, b) < 110 : (r: number, g: number, b: number) => luma(r, g, b) > 150;
      expect([scheme, inkRows(png, ink) > 120]).toEqual([scheme, true]);
    }
  });
});
