import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ImportedStory } from "../../src/ingest/imported-story.js";
import { parseNinjs } from "../../src/ingest/ninjs.js";

const ZONE = "Asia/Tokyo";
const fixture = (name: string) => readFileSync(`test/fixtures/ingest/${name}`, "utf8");

function storyOf(text: string): ImportedStory {
  const result = parseNinjs("story.json", text, ZONE);
  if (!result.ok) throw new Error(`expected a story, got ${result.error.message}`);
  return result.story;
}

function errorOf(text: string): string {
  const result = parseNinjs("story.json", text, ZONE);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.story)}`);
  return result.error.message;
}

/** A minimal valid ninjs 2.x object with `extra` merged over it. */
const doc = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ uri: "urn:x:1", headlines: [{ value: "H" }], bodies: [{ value: "B" }], versioncreated: "2022-06-29T10:00:00Z", ...extra });

describe("ninjs: the three generations", () => {
  it("1.x: headline, body_html over body_text, byline without its By, versioncreated, located, subject names, embargoed", () => {
    const story = storyOf(fixture("ninjs-1.json"));
    expect(story).toMatchObject({
      format: "ninjs",
      title: "Kuwait keeps crude output steady as OPEC+ talks near",
      published: "2022-06-29T18:40:00+03:00",
      dateline: "KUWAIT",
      authors: ["Hamad Al-Ali"],
      categories: ["Energy", "Markets"],
      language: "en",
      id: "http://wire.example/ninjs/20220629-opec-steady",
      status: "usable",
      embargo: { until: "2022-06-29T12:00:00Z", field: "$.embargoed" },
    });
    expect(story.body).toMatchObject({ kind: "html", field: "$.body_html" });
    expect(story.updated).toBeUndefined();
  });

  it("1.x with only headline_* and body_* names: the HTML one is the body, and the notes say which were used", () => {
    const story = storyOf(fixture("ninjs-1-extra-names.json"));
    expect(story.title).toBe("Shuwaikh port extends working hours");
    expect(story.body).toMatchObject({ kind: "html", field: "$.body_richtext" });
    expect(story.notes).toEqual([
      "$.headline_main used as the headline (there is no $.headline)",
      "$.body_richtext used as the body (no body_html, body_xhtml or body_text)",
    ]);
  });

  it("2.x: the main headline, the HTML body, firstcreated as published and versioncreated as updated, infosources as source", () => {
    const story = storyOf(fixture("ninjs-2.json"));
    expect(story).toMatchObject({
      title: "Kuwait cabinet weighs oil revenue and budget plan",
      published: "2022-06-30T14:20:00+03:00",
      updated: "2022-06-30T16:05:00+03:00",
      dateline: "Kuwait City",
      source: "KUNA",
      authors: ["Huda Al-Saleh"],
      categories: ["Economy"],
      id: "urn:newsml:wire.example:20220630:cabinet-budget",
    });
    expect(story.body).toMatchObject({ kind: "html", field: "$.bodies[1].value" });
  });

  it("3.x: camelCase names, a NITF body turned into HTML (media left out), embargoedUntil", () => {
    const story = storyOf(fixture("ninjs-3.json"));
    expect(story).toMatchObject({ title: "Leaders to meet in Tokyo", published: "2031-03-01T08:00:00Z", language: "en-GB", dateline: "Tokyo" });
    expect(story.embargo).toEqual({ until: "2031-03-01T10:00:00Z", field: "$.embargoedUntil" });
    expect(story.body.kind).toBe("html");
    expect(story.body.value).toBe("<p>Leaders will meet in Tokyo on Saturday.</p><h2>Agenda</h2><p>Trade &amp; security top the list.</p>");
    expect(story.notes).toEqual(["$.bodies[0].value: left out 1 <media> element (pictures are not carried)"]);
  });

  it("pubstatus / pubStatus: withheld and canceled are read, named by their path", () => {
    expect(storyOf(doc({ pubstatus: "withheld" }))).toMatchObject({ status: "withheld", statusOrigin: { field: "$.pubstatus" } });
    expect(storyOf(doc({ pubStatus: "canceled" }))).toMatchObject({ status: "canceled", statusOrigin: { field: "$.pubStatus" } });
    expect(storyOf(doc()).status).toBe("usable");
  });

  it("a uri that is not canonical is not the id, and a note says so", () => {
    const story = storyOf(doc({ uri: "HTTP://Wire.Example/a b" }));
    expect(story.id).toBeUndefined();
    expect(story.notes).toEqual(['$.uri "HTTP://Wire.Example/a b" is not a canonical absolute URI; the record gets its own id']);
  });

  it("subjects past the 100 categories a record may have: the first 100, with a note", () => {
    const subjects = Array.from({ length: 150 }, (_, i) => ({ name: `S${i}` }));
    const story = storyOf(doc({ subjects }));
    expect(story.categories).toHaveLength(100);
    expect(story.notes).toEqual(["$.subjects: kept the first 100 of 150 subject names (a record has at most 100 categories)"]);
  });
});

describe("ninjs: errors name the file and the JSON path", () => {
  it.each([
    [{ headlines: [{ value: 42 }] }, "story.json: $.headlines[0].value: must be a string, got a number"],
    [{ headlines: [{ role: "main" }] }, "story.json: $.headlines[0].value: is required"],
    [{ headlines: "H" }, "story.json: $.headlines: must be a list, got a string"],
    [{ headlines: [["H"]] }, "story.json: $.headlines[0]: must be an object, got a list"],
    [{ headlines: [{ value: "  " }] }, "story.json: $.headlines[0].value: is empty"],
    [{ headlines: undefined, headline: null }, "story.json: $.headline: must be a string, got null"],
    [{ bodies: [{ value: "B", contentType: 7 }] }, "story.json: $.bodies[0].contentType: must be a string, got a number"],
    [{ bodies: undefined }, "story.json: $: has no body (body_text, body_html, body_xhtml, or bodies[].value)"],
    [{ headlines: undefined }, "story.json: $: has no headline (headline, or headlines[].value)"],
    [{ versioncreated: "2022-13-01T10:00:00Z" }, 'story.json: $.versioncreated: "2022-13-01T10:00:00Z" is not a valid date-time'],
    [{ versioncreated: "2022-06-29T10:00:00" }, 'story.json: $.versioncreated: "2022-06-29T10:00:00" is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)'],
    [{ versioncreated: "2022-06-29" }, 'story.json: $.versioncreated: "2022-06-29" has no time of day; expected a date-time with offset'],
    [{ versionCreated: "0022-06-29T10:00:00Z", versioncreated: undefined }, 'story.json: $.versionCreated: "0022-06-29T10:00:00Z" is in the year 22: years must be 1900–9999'],
    [{ versioncreated: undefined }, "story.json: $: has no date (firstCreated, versionCreated or contentCreated)"],
    [{ embargoed: "tomorrow" }, 'story.json: $.embargoed: "tomorrow" is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)'],
    [{ language: "english!" }, 'story.json: $.language: "english!" is not a BCP 47 language tag'],
    [{ pubstatus: "killed" }, 'story.json: $.pubstatus: "killed" is not a publication status (usable, withheld or canceled)'],
    [{ type: "picture" }, 'story.json: $.type: is "picture": only text stories (type "text" or "composite") become records'],
    [{ subjects: [{ name: ["Energy"] }] }, "story.json: $.subjects[0].name: must be a string, got a list"],
    [{ by: { name: "X" } }, "story.json: $.by: must be a string, got an object"],
  ])("%j", (extra, message) => {
    expect(errorOf(doc(extra))).toBe(message);
  });

  it("not JSON: the line of the mistake", () => {
    expect(errorOf('{\n  "uri": "urn:x:1",\n  headline: "H"\n}')).toMatch(/^story\.json:3: \(file\): is not valid JSON: /);
  });

  it("a list of items: one per file", () => {
    expect(errorOf(`[${doc()}, ${doc()}]`)).toBe("story.json: $: is a list of 2 items; import takes one ninjs object per file");
  });

  it("a NITF body that is not well-formed XML names the body and the line inside it", () => {
    const nitf = "<nitf>\n<body><body.content><p>x</body.content></body></nitf>";
    expect(errorOf(doc({ bodies: [{ value: nitf, contentType: "application/nitf+xml" }] }))).toMatch(/^story\.json:2: \$\.bodies\[0\]\.value: is not well-formed XML: /);
  });
});

describe("ninjs: hostile documents", () => {
  it("nesting 100,000 deep in a field it does not read is parsed and ignored", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const text = doc().replace(/^\{/, `{"extra": ${deep},`);
    expect(storyOf(text).title).toBe("H");
  });

  it("nesting where a headline belongs is a type error at that path, not a crash", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(errorOf(`{"headlines": [${deep}], "bodies": [{"value": "B"}], "versioncreated": "2022-06-29T10:00:00Z"}`)).toBe(
      "story.json: $.headlines[0]: must be an object, got a list",
    );
  });

  it("a huge headline is read whole (the record's own limits judge it), with white space collapsed", () => {
    const story = storyOf(doc({ headlines: [{ value: `${"word ".repeat(200_000)}\n\t end` }] }));
    expect(story.title.length).toBe(200_000 * 5 + 3);
    expect(story.title.endsWith("word end")).toBe(true);
  });

  it("NITF bodies nested deeper than 200 elements are refused with their line", () => {
    const nitf = `<nitf><body><body.content>${"<block>".repeat(300)}x${"</block>".repeat(300)}</body.content></body></nitf>`;
    expect(errorOf(doc({ bodies: [{ value: nitf, contentType: "text/vnd.IPTC.NITF" }] }))).toBe(
      "story.json:1: $.bodies[0].value: nests elements deeper than 200 levels",
    );
  });

  it("an entity declared in a DTD is never expanded (no entity bombs)", () => {
    const bomb = '<!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><nitf><body><body.content><p>&b;</p></body.content></body></nitf>';
    expect(errorOf(doc({ bodies: [{ value: bomb, contentType: "text/vnd.IPTC.NITF" }] }))).toMatch(/^story\.json:1: \$\.bodies\[0\]\.value: is not well-formed XML: .*undefined entity/i);
  });
});
