/**
 * Property-based: records made of arbitrary hostile text (control
 * characters, lone surrogates, "]]>" repeated, markup characters, RTL and
 * combining marks, emoji, YAML syntax) always give well-formed XML and valid
 * JSON, and two independent parsers (saxes, feedsmith; parse5 for the HTML
 * inside) read every field back as the record's text after the documented
 * hygiene (README "Text hygiene"). The published feeds also pass the W3C
 * validator's rules, except for the findings listed in `unavoidable`.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { afterAll, describe, expect, it } from "vitest";
import yaml from "js-yaml";
import type { Article } from "../../src/core/article.js";
import { siteFeed } from "../../src/core/feed-model.js";
import { withCredit } from "../../src/core/credit.js";
import { renderBody, summaryOf } from "../../src/core/markdown.js";
import { parseRecord } from "../../src/core/record.js";
import { renderAtom } from "../../src/core/render/atom.js";
import { renderJson } from "../../src/core/render/json.js";
import { renderRss } from "../../src/core/render/rss.js";
import { anyUrl, fieldText, hostileText, hygiene, lineText, markdownBody, runs, slug } from "../support/arbitraries.js";
import { testSite } from "../support/fixtures.js";
import { htmlText, unsafeParts } from "../support/html.js";
import { checkAtom, checkHtml, checkRss } from "../support/w3c-rules.js";
import { child, children, parseXml, type XmlElement } from "../support/xml.js";

const BASE = "https://wire.example/news/";
const site = testSite({ baseUrl: BASE });
const RSS_URL = `${BASE}rss.xml`;
const ATOM_URL = `${BASE}atom.xml`;
/** Far after every generated date, so no date is "in the future" for the validator rules. */
const NOW = Date.parse("2030-01-01T00:00:00Z");

interface RecordInput {
  slug: string;
  title: string;
  summary?: string;
  body: string;
  authors: (string | { name: string; url: string })[];
  categories: string[];
  enclosure?: { url: string; length: number };
}

const recordInput: fc.Arbitrary<RecordInput> = fc.record(
  {
    slug,
    title: fieldText(),
    summary: fieldText(),
    body: markdownBody,
    authors: fc.array(fc.oneof(fieldText(6), fc.record({ name: fieldText(6), url: fc.webUrl() })), { maxLength: 3 }),
    categories: fc.array(fieldText(4), { maxLength: 4 }),
    enclosure: fc.record({ url: anyUrl, length: fc.nat() }),
  },
  { requiredKeys: ["slug", "title", "body", "authors", "categories"] },
);

/** A record file with YAML front matter, as an editor (or the write API) would write it. */
function recordFile(input: RecordInput, published: string): string {
  const front: Record<string, unknown> = {
    title: input.title,
    published,
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
    ...(input.authors.length ? { authors: input.authors } : {}),
    ...(input.categories.length ? { categories: input.categories } : {}),
    ...(input.enclosure ? { enclosures: [{ url: input.enclosure.url, type: "audio/mpeg", length: input.enclosure.length }] } : {}),
  };
  return `---\n${yaml.dump(front, { lineWidth: -1 })}---\n${input.body}\n`;
}

function resolves(url: string): string | undefined {
  try {
    const u = new URL(url, BASE);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The article the README's rules promise for an input, or undefined when the record must be refused. */
function expected(input: RecordInput) {
  const title = lineText(input.title);
  const summary = input.summary === undefined ? undefined : lineText(input.summary);
  const names = input.authors.map((a) => lineText(typeof a === "string" ? a : a.name));
  const categories = input.categories.map(lineText);
  const body = hygiene(input.body).trim();
  const enclosureUrl = input.enclosure ? resolves(input.enclosure.url) : undefined;
  const valid = title !== "" && summary !== "" && names.every((n) => n !== "") && categories.every((c) => c !== "") && body !== "" && (!input.enclosure || enclosureUrl !== undefined);
  if (!valid) return undefined;
  return {
    title,
    summary,
    authors: names.length ? input.authors.map((a, i) => ({ name: names[i]!, url: typeof a === "string" ? undefined : new URL(a.url).href })) : [{ name: site.author.name, url: undefined }],
    categories: [...new Set(categories)],
    enclosureUrl,
  };
}

/**
 * Validator findings that no publisher can avoid for such text, each with the
 * input that causes it. Only these are excluded:
 * - ContainsHTML for plain text that literally contains an HTML end tag
 *   ("</b>"): the validator's rule flags the text itself, however escaped.
 * - InvalidURLAttribute for an RSS enclosure whose URL, as the record gives
 *   it, has no dotted host (http://localhost/…, http://[::1]/…): the record
 *   validation accepts any http(s) URL (local testing), the validator wants a
 *   public-looking host. It is the URL the author wrote, not how we write it.
 * - BadCharacters for text containing U+FFFD: the validator flags it
 *   anywhere in the document as a sign of mis-decoding, but it is a real
 *   character an author may write (and the Markdown and HTML parsers make it
 *   of an invalid reference such as "&#0;" or "&#xD800;" in a body).
 *   (C1 controls, which it flags too, are removed by the text hygiene.)
 */
function unavoidable(finding: string, texts: string[]): boolean {
  if (/^ContainsHTML: .* contains <\/\w+>$/.test(finding)) return texts.some((t) => /<\/\w+>/.test(t));
  const url = /^InvalidURLAttribute: (.*)$/.exec(finding)?.[1];
  if (url !== undefined) return texts.includes(url) && !DOTTED_HOST.test(url);
  if (finding === "BadCharacters") return texts.some((t) => t.includes("\uFFFD"));
  return false;
}

/** A host the validator takes for a real one: dotted DNS name or IPv4 address. */
const DOTTED_HOST = /^https?:\/\/(\d{1,3}(\.\d{1,3}){3}|([a-z0-9-]+\.)+[a-z0-9-]+)(:\d+)?(\/|$)/i;

const xmlDocs: string[] = [];
/** How many generated records were published vs refused: the property must mostly test published ones. */
const tally = { published: 0, refused: 0 };
let feedCount = 0;
/** Every XML document made is also checked by libxml2, in one xmllint run at the end (a process per case would dominate the run time). */
afterAll(() => {
  console.log(`property records: ${tally.published} published, ${tally.refused} refused; ${xmlDocs.length} XML documents checked by xmllint`);
  if (xmlDocs.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-props-"));
  const files = xmlDocs.map((xml, i) => {
    const file = join(dir, `${i}.xml`);
    writeFileSync(file, xml);
    return file;
  });
  try {
    for (let i = 0; i < files.length; i += 500) {
      execFileSync("xmllint", ["--noout", "--nonet", ...files.slice(i, i + 500)], { stdio: ["ignore", "pipe", "pipe"] });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function textOf(el: XmlElement | undefined): string | undefined {
  return el?.text;
}

/** Renders 1–3 records and checks every format against what they promise. */
function checkFeeds(inputs: RecordInput[]): void {
  const articles: Article[] = [];
  const wants: NonNullable<ReturnType<typeof expected>>[] = [];
  inputs.forEach((input, i) => {
    // Distinct dates, newest first in input order: feed order is then input order.
    const published = new Date(Date.UTC(2022, 5, 29, 12 - i)).toISOString();
    const result = parseRecord(`items/${input.slug}-${i}.md`, recordFile(input, published), site);
    const want = expected(input);
    // The record is refused exactly when the hygiene leaves a required text empty or a URL unusable.
    expect(result.ok && "article" in result, JSON.stringify(result.ok ? "ok" : result.errors.map(String))).toBe(want !== undefined);
    if (!result.ok || !("article" in result) || !want) {
      tally.refused++;
      return;
    }
    tally.published++;
    articles.push(result.article);
    wants.push(want);
  });
  if (articles.length === 0) return;
  const model = siteFeed(site, articles);
  const rss = renderRss(model);
  const atom = renderAtom(model);
  const json = renderJson(model);
  xmlDocs.push(rss, atom);

  const rssItems = children(child(parseXml(rss), "channel"), "item");
  const atomEntries = children(parseXml(atom), "entry");
  const doc = JSON.parse(json) as { items: Record<string, unknown>[] };
  // feedsmith, the second parser, costs more than all the rest together: it reads every third feed.
  const second = feedCount++ % 3 === 0;
  const fsRss = second ? parseRssFeed(rss).items ?? [] : undefined;
  const fsAtom = second ? parseAtomFeed(atom).entries ?? [] : undefined;
  const fsJson = second ? parseJsonFeed(doc).items ?? [] : undefined;
  expect([rssItems.length, atomEntries.length, doc.items.length]).toEqual(Array(3).fill(articles.length));
  if (fsRss && fsAtom && fsJson) expect([fsRss.length, fsAtom.length, fsJson.length]).toEqual(Array(3).fill(articles.length));

  articles.forEach((a, i) => {
    const want = wants[i]!;
    // The feeds' content: the body, opened by the wire credit where the record has one.
    const html = withCredit(renderBody(a).html, a);
    const summary = summaryOf(a);
    if (want.summary !== undefined) expect(summary).toBe(want.summary);
    expect(unsafeParts(html)).toEqual([]);
    const htmlFindings: string[] = [];
    checkHtml(htmlFindings, "body", html, true);
    expect(htmlFindings).toEqual([]);

    // RSS, strict XML parser.
    const item = rssItems[i]!;
    expect(textOf(child(item, "title"))).toBe(want.title);
    expect(children(item, "category").map((c) => c.text)).toEqual(want.categories);
    // One dc:creator holding every name (readers show one of several).
    expect(children(item, "dc:creator").map((c) => c.text)).toEqual([want.authors.map((p) => p.name).join(", ")]);
    expect(htmlText(child(item, "description").text)).toBe(summary);
    // An unclosed <iframe>, <textarea>… swallows the rest in a browser, so a body can sanitize to nothing; then there is no content element.
    expect(children(item, "content:encoded").map((c) => c.text)).toEqual(html ? [html] : []);
    expect(children(item, "enclosure").map((e) => e.attrs.url)).toEqual(want.enclosureUrl ? [want.enclosureUrl] : []);
    // RSS, feedsmith.
    if (fsRss) {
      expect(fsRss[i]!.title).toBe(want.title);
      expect((fsRss[i]!.categories ?? []).map((c) => c.name)).toEqual(want.categories);
      expect(fsRss[i]!.dc?.creators ?? []).toEqual([want.authors.map((p) => p.name).join(", ")]);
    }

    // Atom, strict XML parser: the title is type="html", so its HTML is decoded once.
    const entry = atomEntries[i]!;
    expect(htmlText(child(entry, "title").text)).toBe(want.title);
    expect(children(entry, "author").map((p) => textOf(child(p, "name")))).toEqual(want.authors.map((p) => p.name));
    expect(children(entry, "author").map((p) => textOf(children(p, "uri")[0]))).toEqual(want.authors.map((p) => p.url));
    expect(children(entry, "category").map((c) => c.attrs.term)).toEqual(want.categories);
    expect(htmlText(child(entry, "summary").text)).toBe(summary);
    expect(children(entry, "content").map((c) => c.text)).toEqual(html ? [html] : []);
    expect(children(entry, "link").filter((l) => l.attrs.rel === "enclosure").map((l) => l.attrs.href)).toEqual(want.enclosureUrl ? [want.enclosureUrl] : []);
    // Atom, feedsmith.
    if (fsAtom) {
      expect(htmlText(fsAtom[i]!.title!.value!)).toBe(want.title);
      expect((fsAtom[i]!.categories ?? []).map((c) => c.term)).toEqual(want.categories);
      expect((fsAtom[i]!.authors ?? []).map((p) => p.name)).toEqual(want.authors.map((p) => p.name));
    }

    // JSON Feed, JSON.parse and feedsmith.
    const j = doc.items[i]!;
    expect(j.title).toBe(want.title);
    expect(j.summary).toBe(summary);
    expect(j.content_html).toBe(html);
    expect(j.tags ?? []).toEqual(want.categories);
    expect(j.authors).toEqual(want.authors.map((p) => (p.url ? { name: p.name, url: p.url } : { name: p.name })));
    expect(((j.attachments ?? []) as { url: string }[]).map((x) => x.url)).toEqual(want.enclosureUrl ? [want.enclosureUrl] : []);
    // feedsmith leaves out an empty content_html.
    if (fsJson) expect([fsJson[i]!.title, fsJson[i]!.summary, fsJson[i]!.content_html ?? ""]).toEqual([want.title, summary, html]);
  });

  const texts = articles.flatMap((a) => [a.title, summaryOf(a), renderBody(a).html, ...a.categories, ...a.authors.map((p) => p.name), ...a.enclosures.map((e) => e.url)]);
  for (const finding of checkRss(rss, RSS_URL, NOW)) expect(unavoidable(finding, texts), finding).toBe(true);
  for (const finding of checkAtom(atom, ATOM_URL, NOW)) expect(unavoidable(finding, texts), finding).toBe(true);
}

describe("property: hostile records give valid feeds that read back as written", () => {
  it("1–3 articles per feed, 2,000 feeds (each in RSS, Atom and JSON)", { timeout: 120_000 }, () => {
    fc.assert(fc.property(fc.array(recordInput, { minLength: 1, maxLength: 3 }), (inputs) => checkFeeds(inputs)), runs(2000));
  });

  it("most generated records are published (the property is not vacuous), all XML also passes libxml2", () => {
    expect(tally.published).toBeGreaterThan(3 * tally.refused);
    // A few thousand articles, each in every format.
    expect(tally.published).toBeGreaterThan(3000);
  });

  it("100 KB paragraphs and titles", () => {
    const big = (min: number) => hostileText(64).chain((seed) => fc.constant(seed.length === 0 ? "x".repeat(min) : seed.repeat(Math.ceil(min / seed.length))));
    const bigRecord = fc.record({
      slug,
      title: big(100_000),
      summary: big(100_000),
      body: fc.tuple(markdownBody, big(100_000)).map(([md, text]) => `${md}\n\n${text}`),
      authors: fc.constant<RecordInput["authors"]>([]),
      categories: fc.array(big(10_000), { maxLength: 2 }),
    });
    fc.assert(fc.property(bigRecord, (input) => checkFeeds([input])), runs(6));
  });

  it("the validator exclusions are exactly the documented ones", () => {
    expect(unavoidable("ContainsHTML: title of x contains </b>", ["a </b> b"])).toBe(true);
    expect(unavoidable("ContainsHTML: title of x contains </b>", ["a b"])).toBe(false);
    expect(unavoidable("BadCharacters", ["\uFFFD"])).toBe(true);
    expect(unavoidable("BadCharacters", ["\u0085"])).toBe(false);
    expect(unavoidable("BadCharacters", ["plain"])).toBe(false);
    expect(unavoidable("NotHtml: body: unclosed <div>", ["<div>"])).toBe(false);
    expect(unavoidable('ContainsHTML: title of x has an entity-like "&"', ["&amp;"])).toBe(false);
    expect(unavoidable("InvalidURLAttribute: http://[::1]:8080/x.mp3", ["http://[::1]:8080/x.mp3"])).toBe(true);
    expect(unavoidable("InvalidURLAttribute: http://localhost/x.mp3", ["http://localhost/x.mp3"])).toBe(true);
    expect(unavoidable("InvalidURLAttribute: https://media.example/x.mp3", ["https://media.example/x.mp3"])).toBe(false);
  });
});
