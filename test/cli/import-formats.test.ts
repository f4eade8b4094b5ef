import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/config.js";
import { parseRecord } from "../../src/core/record.js";
import { record } from "../support/fixtures.js";
import { itemsOf, project, SITE_CONFIG, wirefeed } from "./support.js";

/** 2026-11-27 in Tokyo (the test site's zone): after the 2022 stories, before the 2031 embargoes. */
const NOV_27 = new Date("2026-11-27T03:00:00Z");
const FIXTURES = "test/fixtures/ingest";

/** A project with the fixture copied next to items/ under its own name. */
function withFixture(name: string, records: Record<string, string> = {}): string {
  const cwd = project(records);
  copyFileSync(join(FIXTURES, name), join(cwd, name));
  return cwd;
}

function withFile(name: string, text: string, records: Record<string, string> = {}): string {
  const cwd = project(records);
  writeFileSync(join(cwd, name), text);
  return cwd;
}

function parsed(cwd: string, name: string) {
  const site = parseSiteConfig(SITE_CONFIG, "test");
  return parseRecord(`items/${name}`, readFileSync(join(cwd, "items", name)), site);
}

function articleIn(cwd: string, name: string) {
  const result = parsed(cwd, name);
  if (!result.ok || !("article" in result)) throw new Error(`${name}: ${JSON.stringify(result)}`);
  return result.article;
}

describe("wirefeed import: ninjs", () => {
  it("2.x: a record that validates, with the document's fields and a sanitized body", async () => {
    const cwd = withFixture("ninjs-2.json");
    const result = await wirefeed(["import", "ninjs-2.json", "--category", "Kuwait"], { cwd, now: NOV_27 });
    const name = "kuwait-cabinet-weighs-oil-revenue-and-budget-plan.md";
    expect(result).toEqual({ code: 0, stdout: [`items/${name}`], stderr: ["import: ninjs-2.json: read as ninjs"] });
    expect((await wirefeed(["validate"], { cwd })).code).toBe(0);
    const article = articleIn(cwd, name);
    expect(article).toMatchObject({
      title: "Kuwait cabinet weighs oil revenue and budget plan",
      id: "urn:newsml:wire.example:20220630:cabinet-budget",
      dateline: "Kuwait City",
      source: "KUNA",
      categories: ["Economy", "Kuwait"],
    });
    expect(article.published.toISOString()).toBe("2022-06-30T11:20:00.000Z");
    expect(article.updated?.toISOString()).toBe("2022-06-30T13:05:00.000Z");
    expect(article.authors.map((a) => a.name)).toEqual(["Huda Al-Saleh"]);
    const html = article.rendered.html;
    expect(html).toContain('<a href="https://news.example/calendar/thursday">Thursday</a>');
    expect(html).not.toMatch(/onclick|javascript:|<title>|<section/);
    expect(html).toContain("<p>1. A plan goes to parliament.</p>");
    expect(html).toContain("<pre>row 1\n\nrow 3</pre>");
  });

  it("1.x: body_html over body_text, an embargo already past publishes, and stderr says so", async () => {
    const cwd = withFixture("ninjs-1.json");
    const result = await wirefeed(["import", "ninjs-1.json"], { cwd, now: NOV_27 });
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([
      "import: ninjs-1.json: read as ninjs",
      "import: ninjs-1.json: $.embargoed: the embargo (2022-06-29T12:00:00Z) has passed; published",
    ]);
    const article = articleIn(cwd, "kuwait-keeps-crude-output-steady-as-opec-talks-near.md");
    expect(article.rendered.html).toBe(
      "<p>Kuwait will keep crude oil production at its agreed quota, the <em>oil ministry</em> said on Wednesday.</p><p>The ministry said output would stay at levels set under the group's agreement.</p>",
    );
    expect(article.authors.map((a) => a.name)).toEqual(["Hamad Al-Ali"]);
  });

  it("3.x: an embargo still to come is written as the record's embargo: stored whole, held back until that instant", async () => {
    const cwd = withFixture("ninjs-3.json");
    const result = await wirefeed(["import", "ninjs-3.json"], { cwd, now: NOV_27 });
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(["items/leaders-to-meet-in-tokyo.md"]);
    expect(result.stderr).toContain(
      "import: ninjs-3.json: $.embargoedUntil: embargoed until 2031-03-01T10:00:00Z: written with embargo: 2031-03-01T10:00:00Z; the site shows it from that instant",
    );
    const text = itemsOf(cwd)["leaders-to-meet-in-tokyo.md"]!;
    expect(text).not.toMatch(/draft/);
    expect(text).toMatch(/\nembargo: "?2031-03-01T10:00:00Z"?\n/);
    // The story itself, NITF body included, with the instant it may be shown.
    const article = articleIn(cwd, "leaders-to-meet-in-tokyo.md");
    expect(article.embargo?.toISOString()).toBe("2031-03-01T10:00:00.000Z");
    expect(article.rendered.html).toBe("<p>Leaders will meet in Tokyo on Saturday.</p>\n<h2>Agenda</h2><p>Trade &amp; security top the list.</p>");
    // validate says when it lifts.
    const checked = await wirefeed(["validate"], { cwd, now: NOV_27 });
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain("items/leaders-to-meet-in-tokyo.md: embargoed until 2031-03-01T10:00:00.000Z");
  });

  it("withheld: refused with the field, nothing written", async () => {
    const cwd = withFile("held.json", JSON.stringify({ uri: "urn:x:1", pubstatus: "withheld", headline: "H", body_text: "B", versioncreated: "2022-06-29T10:00:00Z" }));
    const result = await wirefeed(["import", "held.json"], { cwd, now: NOV_27 });
    expect(result).toEqual({ code: 1, stdout: [], stderr: ["held.json: $.pubstatus: withheld: the agency holds this story back until further notice; nothing written"] });
    expect(itemsOf(cwd)).toEqual({});
  });

  it("canceled: a kill of the record carrying the document's id, printed for a script to act on; nothing written or deleted", async () => {
    const existing = record({ title: "Older title", published: "2022-06-30", id: "urn:newsml:wire.example:20220630:cabinet-budget" });
    const other = record({ title: "Other", published: "2022-06-30" });
    const kill = JSON.stringify({ uri: "urn:newsml:wire.example:20220630:cabinet-budget", pubStatus: "canceled", headlines: [{ value: "Killed" }], bodies: [{ value: "Kill." }], versionCreated: "2022-07-01T10:00:00Z" });
    const cwd = withFile("kill.json", kill, { "a-other.md": other, "cabinet.md": existing });
    const result = await wirefeed(["import", "kill.json"], { cwd, now: NOV_27 });
    expect(result).toEqual({
      code: 1,
      stdout: ["kill items/cabinet.md"],
      stderr: ["kill.json: $.pubStatus: canceled: the agency killed this story; nothing written: withdraw items/cabinet.md (delete it: the site then answers 410 Gone and lists it as withdrawn)"],
    });
    expect(itemsOf(cwd)).toEqual({ "a-other.md": other, "cabinet.md": existing });
  });

  it("canceled with no such record: says there is nothing to withdraw", async () => {
    const kill = JSON.stringify({ uri: "urn:x:gone", pubStatus: "canceled", headlines: [{ value: "Never imported" }], bodies: [{ value: "Kill." }], versionCreated: "2022-07-01T10:00:00Z" });
    const cwd = withFile("kill.json", kill);
    const result = await wirefeed(["import", "kill.json"], { cwd, now: NOV_27 });
    expect(result).toEqual({ code: 1, stdout: [], stderr: ["kill.json: $.pubStatus: canceled: the agency killed this story; no record in items carries it (id urn:x:gone): nothing to withdraw"] });
  });

  it("a problem names the file and the JSON path, exit 1, nothing written", async () => {
    const cwd = withFile("bad.json", JSON.stringify({ uri: "urn:x:1", headlines: [{ value: 7 }], bodies: [{ value: "B" }], versionCreated: "2022-06-29T10:00:00Z" }));
    expect(await wirefeed(["import", "bad.json"], { cwd, now: NOV_27 })).toEqual({ code: 1, stdout: [], stderr: ["bad.json: $.headlines[0].value: must be a string, got a number"] });
    expect(itemsOf(cwd)).toEqual({});
  });

  it("a headline too big for a record: the record's own limit refuses it, nothing written", async () => {
    const cwd = withFile("huge.json", JSON.stringify({ uri: "urn:x:1", headline: "word ".repeat(300_000), body_text: "B", versioncreated: "2022-06-29T10:00:00Z" }));
    const result = await wirefeed(["import", "huge.json", "--slug", "huge"], { cwd, now: NOV_27 });
    expect(result.code).toBe(1);
    expect(result.stderr.at(-1)).toBe("items/huge.md: (file): is larger than the limit of 1048576 bytes");
    expect(itemsOf(cwd)).toEqual({});
  });

  it("a document over the import limit is not read", async () => {
    const cwd = withFile("big.json", `{"pad": "${"x".repeat(4 * 1024 * 1024)}"}`);
    const result = await wirefeed(["import", "big.json"], { cwd, now: NOV_27 });
    expect(result).toEqual({ code: 1, stdout: [], stderr: [`big.json: (file): is ${4 * 1024 * 1024 + 11} bytes; import reads documents of at most 4194304`] });
  });

  it("--year and --date are for wire text: a usage error with a structured document", async () => {
    const cwd = withFixture("ninjs-2.json");
    const result = await wirefeed(["import", "ninjs-2.json", "--year", "2022"], { cwd, now: NOV_27 });
    expect(result.code).toBe(2);
    expect(result.stderr[0]).toBe("wirefeed import: --year and --date are for wire text; this ninjs document gives full dates");
  });
});

describe("wirefeed import: NewsML-G2", () => {
  it("a NITF body: a record that validates, in the order an editor reads", async () => {
    const cwd = withFixture("newsml-g2-nitf.xml");
    const result = await wirefeed(["import", "newsml-g2-nitf.xml"], { cwd, now: NOV_27 });
    const name = "seoul-stages-cyber-drill-with-nato-experts.md";
    expect(result).toEqual({ code: 0, stdout: [`items/${name}`], stderr: ["import: newsml-g2-nitf.xml: read as NewsML-G2"] });
    expect(itemsOf(cwd)[name]).toBe(
      [
        "---",
        "title: Seoul stages cyber drill with NATO experts",
        "published: 2022-06-29T15:10:00+09:00",
        "updated: 2022-06-29T17:30:00+09:00",
        "dateline: SEOUL",
        "source: Yonhap",
        "authors:",
        "  - Ji-woo Kim",
        "categories:",
        "  - Politics",
        "  - Cyber security",
        "id: urn:newsml:wire.example:20220629:seoul-drill",
        "---",
        "",
        "South Korea began a three-day cyber defence drill on Wednesday with experts from NATO.",
        "",
        '<blockquote><p>"We train for the attack we hope never comes," an official said.</p></blockquote>',
        "",
        "<ul><li>Day one: networks</li><li>Day two: power grids</li></ul>",
        "",
        "The drill ends on Friday.",
        "",
      ].join("\n"),
    );
    expect((await wirefeed(["validate"], { cwd })).code).toBe(0);
  });

  it("an XHTML body under embargo: written with its embargo; the line of the embargo is named", async () => {
    const cwd = withFixture("newsml-g2-xhtml.xml");
    const result = await wirefeed(["import", "newsml-g2-xhtml.xml"], { cwd, now: NOV_27 });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "import: newsml-g2-xhtml.xml:9: newsItem/itemMeta/embargoed: embargoed until 2031-05-02T09:00:00+10:00: written with embargo: 2031-05-02T09:00:00+10:00; the site shows it from that instant",
    );
    expect(articleIn(cwd, "canberra-and-wellington-open-pacific-talks.md").embargo?.toISOString()).toBe("2031-05-01T23:00:00.000Z");
  });

  it("the same document after its embargo: published", async () => {
    const cwd = withFixture("newsml-g2-xhtml.xml");
    const result = await wirefeed(["import", "newsml-g2-xhtml.xml"], { cwd, now: new Date("2031-05-01T23:00:00Z") });
    expect(result.code).toBe(0);
    const article = articleIn(cwd, "canberra-and-wellington-open-pacific-talks.md");
    expect(article.rendered.html).toContain("<table><tbody><tr><th>Day</th><th>Topic</th></tr><tr><td>Friday</td><td>Security</td></tr></tbody></table>");
    expect(article.language).toBe("en-AU");
  });

  it("not well-formed: file, line, nothing written", async () => {
    const cwd = withFile("bad.xml", '<?xml version="1.0"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">\n<itemMeta>\n</newsItem>');
    const result = await wirefeed(["import", "bad.xml"], { cwd, now: NOV_27 });
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([expect.stringMatching(/^bad\.xml:4: \(xml\): is not well-formed XML: /)]);
    expect(itemsOf(cwd)).toEqual({});
  });
});

describe("wirefeed import: KUNA wire text", () => {
  it("an Arabic dispatch: Arabic fields, language ar, desk from (النهاية), a slug from the date", async () => {
    const cwd = withFixture("kuna-arabic.txt");
    const result = await wirefeed(["import", "kuna-arabic.txt", "--year", "2022"], { cwd, now: NOV_27 });
    expect(result).toEqual({
      code: 0,
      stdout: ["items/story-2022-06-30.md"],
      stderr: ['import: dateline "30 - 6"; used 2022-06-30 (--year 2022)', "import: kuna-arabic.txt: dropped page chrome on line 1"],
    });
    const article = articleIn(cwd, "story-2022-06-30.md");
    expect(article).toMatchObject({ title: "مجلس الوزراء الكويتي يبحث إيرادات النفط وخطة الميزانية", dateline: "الكويت", source: "كونا", desk: "ه ص / م ع", language: "ar" });
    expect(article.body.split("\n\n")).toHaveLength(3);
  });

  it("an English dispatch with a mixed-case place and a year: the year is the dateline's", async () => {
    const cwd = withFixture("kuna-english-mixed-case.txt");
    const result = await wirefeed(["import", "kuna-english-mixed-case.txt"], { cwd, now: NOV_27 });
    expect(result.stderr[0]).toBe('import: dateline "June 29, 2022"; used 2022-06-29');
    expect(itemsOf(cwd)["kuwait-japan-discuss-energy-ties.md"]).toContain("\npublished: 2022-06-29\ndateline: Tokyo\nsource: KUNA\ndesk: mk.ibi\n");
    const clash = await wirefeed(["import", "kuna-english-mixed-case.txt", "--year", "2021", "--force"], { cwd, now: NOV_27 });
    expect(clash).toEqual({ code: 1, stdout: [], stderr: ['import: --year 2021 does not match the dateline "June 29, 2022"'] });
  });

  it("a dateline without agency: no source unless --source gives one", async () => {
    const cwd = withFile("story.txt", "Port opens\nKUWAIT, July 3 -- The port opened.");
    const bare = await wirefeed(["import", "story.txt", "--year", "2022"], { cwd, now: NOV_27 });
    expect(bare.stderr).toContain("import: story.txt: line 2: the dateline names no agency; the record has no source (pass --source to give one)");
    expect(articleIn(cwd, "port-opens.md").source).toBeUndefined();
    await wirefeed(["import", "story.txt", "--year", "2022", "--source", "KUNA", "--force"], { cwd, now: NOV_27 });
    expect(articleIn(cwd, "port-opens.md").source).toBe("KUNA");
  });

  it("a broken Arabic dateline: the line and the reason, nothing written", async () => {
    const cwd = withFile("story.txt", "عنوان\nالكويت - 31 - 6 (كونا) -- نص.");
    expect(await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 })).toEqual({
      code: 1,
      stdout: [],
      stderr: ['story.txt:2: dateline: expected "CITY - Day - Month (AGENCY) --" (الكويت - 30 - 6 (كونا) --): "31 - 6" is not a date'],
    });
    expect(readdirSync(join(cwd, "items"))).toEqual([]);
  });
});
