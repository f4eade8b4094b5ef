/**
 * Property-based, without the record parser: Article objects built straight
 * from raw arbitrary strings (no hygiene, no white-space collapsing), as code
 * that bypasses parseRecord could. The renderers' own guards must still give
 * well-formed XML and valid JSON:
 * - JSON carries every string exactly (JSON can: lone surrogates and
 *   controls are written as \u escapes);
 * - XML carries the text after the documented removals, read as XML 1.0
 *   defines: line ends normalised to LF (§2.11) and, in attribute values,
 *   tab/LF/CR read as spaces (§3.3.3). Records never have those in
 *   single-line fields (they are collapsed).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.js";
import { siteFeed } from "../../src/core/feed-model.js";
import { withCredit } from "../../src/core/credit.js";
import { renderBody } from "../../src/core/markdown.js";
import { renderAtom } from "../../src/core/render/atom.js";
import { renderJson } from "../../src/core/render/json.js";
import { renderRss } from "../../src/core/render/rss.js";
import { fieldText, hygiene, markdownBody, runs } from "../support/arbitraries.js";
import { article, testSite } from "../support/fixtures.js";
import { htmlText } from "../support/html.js";
import { child, children, parseXml } from "../support/xml.js";

const site = testSite();
const base = article("raw", { title: "placeholder" }, "placeholder", site);

/** XML 1.0 §2.11: CRLF and lone CR are read as LF. */
const xmlText = (s: string) => hygiene(s).replace(/\r\n?/g, "\n");
/** XML 1.0 §3.3.3: in a CDATA-type attribute, each tab, LF and CR is read as a space (after line-end normalisation). */
const xmlAttr = (s: string) => xmlText(s).replace(/[\t\n]/g, " ");

const docs: string[] = [];
afterAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-raw-"));
  const files = docs.map((xml, i) => {
    writeFileSync(join(dir, `${i}.xml`), xml);
    return join(dir, `${i}.xml`);
  });
  try {
    for (let i = 0; i < files.length; i += 500) execFileSync("xmllint", ["--noout", "--nonet", ...files.slice(i, i + 500)], { stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const rawArticle = fc.record({
  title: fieldText(),
  summary: fieldText(),
  body: markdownBody,
  names: fc.array(fieldText(6), { minLength: 1, maxLength: 3 }),
  categories: fc.array(fieldText(4), { maxLength: 3 }),
});

describe("property: raw Article text through the renderers alone", () => {
  it("1,000 single-article feeds: well-formed XML, valid JSON, text as XML defines it", () => {
    fc.assert(
      fc.property(rawArticle, (raw) => {
        // Empty after the removals: `feed` leaves such elements out; the record parser would refuse them anyway.
        fc.pre([raw.title, raw.summary, ...raw.names, ...raw.categories].every((s) => hygiene(s).trim() !== ""));
        const a: Article = { ...base, title: raw.title, summary: raw.summary, body: raw.body, authors: raw.names.map((name) => ({ name })), categories: raw.categories };
        const model = siteFeed(site, [a]);
        const rss = renderRss(model);
        const atom = renderAtom(model);
        docs.push(rss, atom);

        const item = child(child(parseXml(rss), "channel"), "item");
        expect(child(item, "title").text).toBe(xmlText(raw.title));
        expect(htmlText(child(item, "description").text)).toBe(xmlText(raw.summary));
        expect(children(item, "category").map((c) => c.text)).toEqual(raw.categories.map(xmlText));
        expect(children(item, "dc:creator").map((c) => c.text)).toEqual([raw.names.map(xmlText).join(", ")]);

        const entry = child(parseXml(atom), "entry");
        expect(htmlText(child(entry, "title").text)).toBe(xmlText(raw.title));
        expect(htmlText(child(entry, "summary").text)).toBe(xmlText(raw.summary));
        expect(children(entry, "category").map((c) => c.attrs.term)).toEqual(raw.categories.map(xmlAttr));
        expect(children(entry, "author").map((p) => child(p, "name").text)).toEqual(raw.names.map(xmlText));

        const json = JSON.parse(renderJson(model)).items[0];
        expect([json.title, json.summary, json.content_html]).toEqual([raw.title, raw.summary, withCredit(renderBody(a).html, a)]);
        expect(json.tags ?? []).toEqual(raw.categories);
        expect(json.authors.map((p: { name: string }) => p.name)).toEqual(raw.names);
      }),
      runs(1000),
    );
    expect(docs.length).toBeGreaterThan(1500);
  });
});
