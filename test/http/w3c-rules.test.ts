/**
 * Every feed the app serves, checked against the W3C Feed Validation
 * Service's rules (test/support/w3c-rules.ts): no errors, no warnings.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/config.js";
import { buildCatalog, type Catalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { checkAtom, checkHtml, checkRss } from "../support/w3c-rules.js";

const BASE = "https://wire.example/news/";

function appFor(catalog: Catalog, site = testSite({ baseUrl: BASE })) {
  return createApp({ site, catalog: () => catalog, log: () => {} });
}

async function feeds(catalog: Catalog, site?: ReturnType<typeof testSite>) {
  const app = appFor(catalog, site);
  return {
    rss: await (await app.request("/rss.xml")).text(),
    atom: await (await app.request("/atom.xml")).text(),
  };
}

const bundledSite = parseSiteConfig(JSON.parse(readFileSync("site.config.json", "utf8")), "site.config.json", BASE);
const bundled = buildCatalog(
  readdirSync("items").filter((f) => f.endsWith(".md")).map((f) => ({ file: `items/${f}`, bytes: readFileSync(`items/${f}`) })),
  bundledSite,
);

// As `npm start` serves them (no SITE_URL): links on the configured base URL.
const defaultSite = parseSiteConfig(JSON.parse(readFileSync("site.config.json", "utf8")), "site.config.json");
const bundledDefault = buildCatalog(
  readdirSync("items").filter((f) => f.endsWith(".md")).map((f) => ({ file: `items/${f}`, bytes: readFileSync(`items/${f}`) })),
  defaultSite,
);

/** Titles, names and categories that trip naive feed writers. */
const torture = catalogOf(
  {
    "amp.md": record(
      { title: 'AT&T buys "R&D" <labs> & more', published: "2022-06-01T10:00:00Z", categories: ["R&D", "C<D>", "Tom & Jerry"], authors: ["O'Brien & Sons"] },
      "Profits & losses: 5 < 7 > 3, see [the filing](/filings/2022?a=1&b=2).",
    ),
    "cdata.md": record({ title: "Nested ]]> twice ]]> here", published: "2022-06-02T10:00:00Z", summary: "x ]]> y ]]> z" }, "Body ]]> with ]]> CDATA ends"),
    "entities.md": record({ title: "&amp; &copy; &#169; literally", published: "2022-06-03T10:00:00Z" }, "Text &amp; more"),
    "unicode.md": record({ title: "東京 — القاهرة 🚀 e\u0301", published: "2022-06-04T10:00:00Z", language: "ja" }, "本文です。"),
    "control.md": record({ title: "Bell \u0007 and escape \u001b", published: "2022-06-05T10:00:00Z" }, "Backspace \u0008 byte"),
    "media.md": record(
      { title: "Briefing audio", published: "2022-06-06T10:00:00Z", enclosures: [{ url: "/media/brief.mp3", type: "audio/mpeg", length: 12345 }], image: "/img/a.jpg" },
      "Listen to the briefing.",
    ),
  },
  testSite({ baseUrl: BASE }),
);

describe("W3C Feed Validation Service rules", () => {
  it.each([
    ["the bundled items", bundled, bundledSite],
    ["the bundled items with the shipped config", bundledDefault, defaultSite],
    ["hostile text", torture, testSite({ baseUrl: BASE })],
  ] as const)("%s: RSS and Atom have no errors or warnings", async (_label, catalog, site) => {
    expect(catalog.errors).toEqual([]);
    const { rss, atom } = await feeds(catalog, site);
    expect(checkRss(rss, `${site.baseUrl}rss.xml`)).toEqual([]);
    expect(checkAtom(atom, `${site.baseUrl}atom.xml`)).toEqual([]);
  });

  it("the checker is not vacuous: it flags what the service flags", async () => {
    const { rss, atom } = await feeds(torture);
    const badRss = rss
      .replace("<dc:creator>", "<author>Jane</author><dc:creator>")
      .replace(/<title>AT&#x26;T[^\n]*<\/title>/, "<title>Tom &amp;amp; Jerry</title>")
      .replace(`href="${BASE}rss.xml"`, 'href="http://other.example/rss.xml"');
    expect(checkRss(badRss, `${BASE}rss.xml`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^InvalidContact/),
        expect.stringMatching(/^ContainsHTML/),
        expect.stringMatching(/^SelfDoesntMatchLocation/),
      ]),
    );
    const badAtom = atom.replaceAll("<updated>2022-06-05T10:00:00.000Z", "<updated>2022-06-06T10:00:00.000Z");
    expect(checkAtom(badAtom, `${BASE}atom.xml`)).toEqual(expect.arrayContaining([expect.stringMatching(/^DuplicateUpdated/)]));
    const f: string[] = [];
    checkHtml(f, "x", '<p>AT&T <a href="/rel">x</a><script>1</script><div>', true);
    expect(f.map((m) => m.split(":")[0])).toEqual(expect.arrayContaining(["NotHtml", "ContainsRelRef", "SecurityRisk"]));
  });
});
