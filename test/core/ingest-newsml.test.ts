import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ImportedStory } from "../../src/ingest/imported-story.js";
import { parseNewsmlG2 } from "../../src/ingest/newsml-g2.js";

const ZONE = "Asia/Tokyo";
const fixture = (name: string) => readFileSync(`test/fixtures/ingest/${name}`, "utf8");

function storyOf(text: string): ImportedStory {
  const result = parseNewsmlG2("story.xml", text, ZONE);
  if (!result.ok) throw new Error(`expected a story, got ${result.error.message}`);
  return result.story;
}

function errorOf(text: string): string {
  const result = parseNewsmlG2("story.xml", text, ZONE);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.story)}`);
  return result.error.message;
}

/** A small newsItem, one element per line so messages can name lines; `parts` replace its pieces. */
function item(parts: { itemMeta?: string; contentMeta?: string; contentSet?: string; root?: string } = {}): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    parts.root ?? '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1" standard="NewsML-G2" standardversion="2.35">',
    "<itemMeta>",
    parts.itemMeta ?? '<itemClass qcode="ninat:text"/>\n<versionCreated>2022-06-29T10:00:00Z</versionCreated>\n<pubStatus qcode="stat:usable"/>',
    "</itemMeta>",
    "<contentMeta>",
    parts.contentMeta ?? "<headline>H</headline>",
    "</contentMeta>",
    "<contentSet>",
    parts.contentSet ?? '<inlineData contenttype="text/plain">B</inlineData>',
    "</contentSet>",
    "</newsItem>",
  ].join("\n");
}

describe("NewsML-G2: newsItem documents", () => {
  it("NITF body: headline without a role, located name in the item's language, creator, infoSource, named subjects, firstCreated and versionCreated", () => {
    const story = storyOf(fixture("newsml-g2-nitf.xml"));
    expect(story).toMatchObject({
      format: "NewsML-G2",
      title: "Seoul stages cyber drill with NATO experts",
      published: "2022-06-29T15:10:00+09:00",
      updated: "2022-06-29T17:30:00+09:00",
      dateline: "SEOUL",
      source: "Yonhap",
      authors: ["Ji-woo Kim"],
      categories: ["Politics", "Cyber security"],
      language: "en",
      id: "urn:newsml:wire.example:20220629:seoul-drill",
      status: "usable",
      statusOrigin: { field: "newsItem/itemMeta/pubStatus", line: 11 },
    });
    expect(story.body).toMatchObject({ kind: "html", field: "newsItem/contentSet/inlineXML", line: 29 });
    expect(story.body.value).toContain("<blockquote><p>&quot;We train for the attack we hope never comes,&quot; an official said.</p></blockquote>");
    expect(story.body.value).toContain("<ul><li>Day one: networks</li><li>Day two: power grids</li></ul>");
    expect(story.body.value).toContain("<p>The drill ends on Friday.</p>");
    expect(story.body.value).not.toContain("<org>");
  });

  it("XHTML body, <by>, embargoed, and the place from <dateline> when there is no <located>", () => {
    const story = storyOf(fixture("newsml-g2-xhtml.xml"));
    expect(story).toMatchObject({
      title: "Canberra and Wellington open Pacific talks",
      published: "2031-05-02T05:40:00+10:00",
      dateline: "CANBERRA",
      authors: ["Sam Taylor"],
      language: "en-AU",
      embargo: { until: "2031-05-02T09:00:00+10:00", field: "newsItem/itemMeta/embargoed", line: 9 },
    });
    expect(story.body.value).not.toContain("<title>");
    expect(story.body.value).toContain("<strong>fisheries</strong>\u00A0and");
    expect(story.notes).toEqual(['line 18: dateline place "CANBERRA" taken from <dateline> (no <located> name)']);
  });

  it("canceled and withheld are read from pubStatus's qcode", () => {
    const meta = (status: string) => `<versionCreated>2022-06-29T10:00:00Z</versionCreated>\n<pubStatus qcode="${status}"/>`;
    expect(storyOf(item({ itemMeta: meta("stat:canceled") }))).toMatchObject({ status: "canceled", statusOrigin: { line: 5 } });
    expect(storyOf(item({ itemMeta: meta("stat:withheld") })).status).toBe("withheld");
  });

  it("a newsMessage carrying one newsItem is read as that item", () => {
    const inner = item().split("\n").slice(1).join("\n");
    const message = `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2022-06-29T10:00:00Z</sent></header><itemSet>${inner}</itemSet></newsMessage>`;
    expect(storyOf(message).title).toBe("H");
  });

  it("the headline from NITF's <hl1> when contentMeta has none", () => {
    const nitf = '<inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.head><hedline><hl1>From NITF</hl1></hedline></body.head><body.content><p>x</p></body.content></body></nitf></inlineXML>';
    const story = storyOf(item({ contentMeta: "<language tag=\"en\"/>", contentSet: nitf }));
    expect(story.title).toBe("From NITF");
    expect(story.notes).toEqual(["headline taken from the NITF <hl1> (contentMeta has no <headline>)"]);
  });
});

describe("NewsML-G2: errors name the file, the element and its line", () => {
  it.each([
    [{ contentMeta: "<headline>  </headline>" }, "story.xml:9: newsItem/contentMeta/headline: is empty"],
    [{ contentMeta: "<slugline>x</slugline>" }, "story.xml:8: newsItem/contentMeta: has no <headline>"],
    [{ itemMeta: "<versionCreated>2022-02-30T10:00:00Z</versionCreated>" }, 'story.xml:4: newsItem/itemMeta/versionCreated: "2022-02-30T10:00:00Z" is not a valid date-time'],
    [{ itemMeta: "<embargoed>soon</embargoed>\n<versionCreated>2022-06-29T10:00:00Z</versionCreated>" }, 'story.xml:4: newsItem/itemMeta/embargoed: "soon" is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)'],
    [{ itemMeta: '<itemClass qcode="ninat:picture"/>' }, 'story.xml:4: newsItem/itemMeta/itemClass: is "ninat:picture": only text items (ninat:text) become records'],
    [{ itemMeta: '<pubStatus qcode="stat:gone"/>\n<versionCreated>2022-06-29T10:00:00Z</versionCreated>' }, 'story.xml:4: newsItem/itemMeta/pubStatus: "stat:gone" is not a publication status (stat:usable, stat:withheld or stat:canceled)'],
    [{ itemMeta: '<itemClass qcode="ninat:text"/>' }, "story.xml:2: newsItem: has no date (itemMeta/firstCreated, contentMeta/contentCreated or itemMeta/versionCreated)"],
    [{ contentMeta: '<headline>H</headline>\n<language tag="not a tag"/>' }, 'story.xml:10: newsItem/contentMeta/language: "not a tag" is not a BCP 47 language tag'],
    [{ contentSet: '<remoteContent href="http://x.example/a.txt"/>' }, "story.xml:11: newsItem/contentSet: has only <remoteContent>: the text is elsewhere, not in the document"],
    [{ contentSet: '<inlineXML contenttype="application/nitf+xml"><p>x</p></inlineXML>' }, "story.xml:12: newsItem/contentSet/inlineXML: is application/nitf+xml but holds no <nitf> element"],
    [{ root: '<newsItem guid="urn:x:1">' }, "story.xml:2: newsItem: <newsItem> is not in the NewsML-G2 namespace http://iptc.org/std/nar/2006-10-01/"],
  ])("%j", (parts, message) => {
    expect(errorOf(item(parts))).toBe(message);
  });

  it("not well-formed: the line saxes stopped at", () => {
    expect(errorOf(item({ contentMeta: "<headline>H</headlin>" }))).toMatch(/^story\.xml:9: \(xml\): is not well-formed XML: unexpected close tag/);
  });

  it("NewsML 1.x and other G2 items are refused by name", () => {
    expect(errorOf('<?xml version="1.0"?>\n<NewsML Version="1.2"><NewsItem/></NewsML>')).toBe(
      "story.xml:2: NewsML: is NewsML 1.x (root <NewsML>); only NewsML-G2 <newsItem> documents are read",
    );
    expect(errorOf('<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>')).toBe(
      "story.xml:1: packageItem: is a <packageItem>; only a <newsItem> (or a <newsMessage> with one) is a story",
    );
  });

  it("a newsMessage with several items is refused", () => {
    const inner = item().split("\n").slice(1).join("\n");
    expect(errorOf(`<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>${inner}${inner}</itemSet></newsMessage>`)).toBe(
      "story.xml:1: newsMessage: carries 2 newsItems; import takes a message with exactly one",
    );
  });
});

describe("NewsML-G2: hostile documents", () => {
  it("nesting deeper than 200 elements: refused at the line where it crosses", () => {
    const deep = `${"<block>\n".repeat(300)}x${"</block>".repeat(300)}`;
    expect(errorOf(item({ contentSet: `<inlineXML contenttype="application/xhtml+xml">\n${deep}</inlineXML>` }))).toBe(
      "story.xml:210: (xml): nests elements deeper than 200 levels",
    );
  });

  it("an entity bomb in the DTD is not expanded", () => {
    const text = item().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>').replace("<headline>H</headline>", "<headline>&b;</headline>");
    expect(errorOf(text)).toMatch(/^story\.xml:10: \(xml\): is not well-formed XML: .*undefined entity/i);
  });

  it("an external entity is never fetched", () => {
    const text = item().replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace("<headline>H</headline>", "<headline>&x;</headline>");
    expect(errorOf(text)).toMatch(/undefined entity/i);
  });

  it("HTML's common named entities in an XHTML body are read as their characters", () => {
    const story = storyOf(item({ contentSet: '<inlineXML contenttype="application/xhtml+xml"><p xmlns="http://www.w3.org/1999/xhtml">A&nbsp;B &mdash; C</p></inlineXML>' }));
    expect(story.body.value).toBe("<p>A\u00A0B — C</p>");
  });
});
