import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";
import { readSample, SAMPLE_RECORDS, SAMPLE_SEED } from "../support/sample-items.js";

const site = testSite();
const VALID = { title: "A headline", published: "2022-06-29T09:00:00+09:00" };

function errorsOf(file: string, content: string | Uint8Array) {
  const result = parseRecord(file, content, site);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("the sample records (a copy of the bundled items/)", () => {
  const files = SAMPLE_RECORDS;

  it("ships the seed story and at least three more", () => {
    expect(files).toContain("japan-pm-seeks-nato-partnership-upgrade.md");
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)("%s parses without errors", (file) => {
    const result = parseRecord(`items/${file}`, readSample(file), site);
    expect(result.ok ? [] : result.errors.map(String)).toEqual([]);
  });

  it("keeps the seed story's fields", () => {
    const result = parseRecord("items/x.md", readSample(SAMPLE_SEED), site);
    if (!result.ok || !("article" in result)) throw new Error("seed invalid");
    const a = result.article;
    expect(a.title).toBe("Japan PM seeks upgrade of NATO partnership after Russia's war");
    expect(a.dateline).toBe("TOKYO");
    expect(a.source).toBe("KUNA");
    // A bare date is midnight in the site's zone (Asia/Tokyo, UTC+9).
    expect(a.published.toISOString()).toBe("2022-06-28T15:00:00.000Z");
    expect(a.body.split("\n\n")).toHaveLength(11);
    expect(a.body).not.toContain("(end)");
  });
});

describe("parseRecord: a valid record", () => {
  it("applies defaults: id, authors, language, url", () => {
    const result = parseRecord("items/a-b.md", record(VALID), site);
    if (!result.ok || !("article" in result)) throw new Error("invalid");
    expect(result.article).toMatchObject({
      slug: "a-b",
      id: "tag:news.example,2022-06-29:a-b",
      authors: [{ name: "Test Desk", email: "desk@news.example" }],
      language: "en",
      url: "https://news.example/items/a-b",
      categories: [],
      enclosures: [],
    });
  });

  it("accepts names and {name,email,url} authors, resolves site-relative URLs", () => {
    const result = parseRecord(
      "items/x.md",
      record({
        ...VALID,
        authors: ["Kim", { name: "Lee", email: "lee@news.example", url: "/staff/lee" }],
        image: "/media/a.jpg",
        enclosures: [{ url: "/media/a.mp3", type: "audio/mp3", length: 10 }],
      }),
      site,
    );
    if (!result.ok || !("article" in result)) throw new Error(JSON.stringify(result));
    expect(result.article.authors).toEqual([{ name: "Kim" }, { name: "Lee", email: "lee@news.example", url: "https://news.example/staff/lee" }]);
    expect(result.article.image).toEqual({ url: "https://news.example/media/a.jpg", type: "image/jpeg" });
    // audio/mp3 is not a registered type: corrected to audio/mpeg.
    expect(result.article.enclosures).toEqual([{ url: "https://news.example/media/a.mp3", type: "audio/mpeg", length: 10 }]);
  });

  it("keeps drafts out", () => {
    const result = parseRecord("items/x.md", record({ ...VALID, draft: true }), site);
    expect(result).toEqual({ ok: true, draft: true, slug: "x" });
  });

  it("removes characters XML cannot carry from every text field", () => {
    const result = parseRecord("items/x.md", record({ ...VALID, title: "Bell\u0007 and\u0000 null" }, "Body\u001b text\uFFFF"), site);
    if (!result.ok || !("article" in result)) throw new Error("invalid");
    expect(result.article.title).toBe("Bell and null");
    expect(result.article.body).toBe("Body text");
  });
});

describe("parseRecord: invalid records name the file and the field", () => {
  const cases: [string, string | Uint8Array, string, RegExp][] = [
    ["missing title", record({ published: VALID.published }), "title", /is required/],
    ["bad date", record({ ...VALID, published: "29 June 2022" }), "published", /not an ISO 8601/],
    ["impossible date", record({ ...VALID, published: "2022-02-30" }), "published", /not a calendar date/],
    ["date without offset", record({ ...VALID, published: "2022-06-29T09:00:00" }), "published", /with offset/],
    ["unknown field", record({ ...VALID, categores: ["x"] }), "categores", /unknown field \(did you mean "categories"\?\)/],
    ["broken YAML", "---\ntitle: [unclosed\npublished: 2022-06-29\n---\nbody\n", "front matter", /not valid YAML/],
    ["no front matter", "Just a story\n", "front matter", /must start/],
    ["unclosed front matter", "---\ntitle: x\n", "front matter", /not closed/],
    ["empty file", "", "(file)", /is empty/],
    ["blank file", "  \n\n", "(file)", /is empty/],
    ["binary file", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), "(file)", /binary/],
    ["invalid UTF-8", new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]), "(file)", /UTF-8/],
    ["updated before published", record({ ...VALID, updated: "2022-06-28T00:00:00Z" }), "updated", /later than published/],
    ["title not text", "---\ntitle: 2024\npublished: 2022-06-29\n---\nbody\n", "title", /quote it/],
    ["bad language", record({ ...VALID, language: "english language" }), "language", /BCP 47/],
    ["enclosure without length", record({ ...VALID, enclosures: [{ url: "/a.mp3", type: "audio/mpeg" }] }), "enclosures[0].length", /required/],
    ["non-canonical id", record({ ...VALID, id: "not a uri" }), "id", /absolute URI/],
    ["empty body", record(VALID, ""), "body", /empty/],
    ["draft not boolean", record({ ...VALID, draft: "yes" }), "draft", /true or false/],
  ];

  it.each(cases)("%s", (_label, content, field, problem) => {
    const errors = errorsOf("items/broken.md", content);
    const match = errors.find((e) => e.field === field);
    expect(match, errors.map(String).join("\n")).toBeDefined();
    expect(match!.file).toBe("items/broken.md");
    expect(match!.problem).toMatch(problem);
    expect(match!.message).toContain(`items/broken.md`);
    expect(match!.message).toContain(`${field}: `);
  });

  it.each([
    // The YAML parser notices the unclosed list on the next line.
    ["broken YAML", '---\ntitle: "ok"\ncategories: [a, b\npublished: 2022-06-29\n---\nbody\n', "front matter", 4],
    ["empty body: the line after the closing ---", "---\ntitle: t\npublished: 2022-06-29\n---\n\n", "body", 5],
    ["empty body after one front-matter line", "---\ntitle: t\n---\n", "body", 4],
  ])("%s: names the line", (_label, content, field, line) => {
    const errors = errorsOf("items/broken.md", content);
    expect(errors.find((e) => e.field === field)?.line, errors.map(String).join("\n")).toBe(line);
  });

  it("bad slug (file name)", () => {
    const errors = errorsOf("items/Bad_Name.md", record(VALID));
    expect(errors.map((e) => [e.file, e.field])).toEqual([["items/Bad_Name.md", "slug"]]);
  });

  it("reports every problem, with the line of each field", () => {
    const text = "---\ntitle: ok\npublished: nope\ncolour: red\n---\nbody\n";
    const errors = errorsOf("items/x.md", text);
    expect(errors.map((e) => `${e.field}@${e.line}`).sort()).toEqual(["colour@4", "published@3"]);
    expect(errors.find((e) => e.field === "published")!.message).toMatch(/^items\/x\.md:3: published: /);
  });

  it("a broken record never takes down the others", () => {
    const catalog = catalogOf({
      "good.md": record(VALID),
      "bad.md": record({ published: VALID.published }),
      "empty.md": "",
    });
    expect(catalog.entries.map((a) => a.slug)).toEqual(["good"]);
    expect(catalog.errors.map((e) => `${e.file} ${e.field}`).sort()).toEqual(["items/bad.md title", "items/empty.md (file)"]);
  });

  it("a duplicate id is an error on the second record, the first is kept", () => {
    const catalog = catalogOf({
      "a.md": record({ ...VALID, id: "tag:news.example,2022:same" }),
      "b.md": record({ ...VALID, id: "tag:news.example,2022:same" }),
    });
    expect(catalog.entries.map((a) => a.slug)).toEqual(["a"]);
    expect(catalog.errors.map(String)).toEqual([expect.stringMatching(/items\/b\.md: id: .* already used by items\/a\.md/)]);
  });
});

describe("line numbers", () => {
  it("point at list items and nested fields, not only top-level keys", () => {
    const text = "---\ntitle: ok\npublished: 2022-06-29\ncategories:\n  - fine\n  - 42\nenclosures:\n  - url: /a.mp3\n    type: audio/mpeg\n    length: big\n---\nbody\n";
    const result = parseRecord("items/x.md", text, testSite());
    if (result.ok) throw new Error("expected errors");
    expect(result.errors.map((e) => `${e.field}@${e.line}`).sort()).toEqual(["categories[1]@6", "enclosures[0].length@10"]);
  });
});

describe("bounds on what a record may make the parser do", () => {
  it("field names over 64 characters, at the top and nested, name their line; a 40,000-character one is no crash", () => {
    const long = "k".repeat(40_000);
    const text = `---\ntitle: ok\npublished: 2022-06-29\n${long}: 1\nauthors:\n  - name: Kim\n    "${"n".repeat(65)}": x\n${"a".repeat(64)}: 2\n---\nbody\n`;
    const errors = errorsOf("items/x.md", text);
    expect(errors.map((e) => [e.field, e.line, e.problem])).toEqual([
      [`${"k".repeat(24)}…`, 4, "field name is 40000 characters long; the limit is 64"],
      [`authors[0].${"n".repeat(24)}…`, 7, "field name is 65 characters long; the limit is 64"],
      ["a".repeat(64), 8, "unknown field"],
    ]);
  });

  it("100,000 unknown fields: 50 problems and one line counting the rest", () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join("\n");
    const errors = errorsOf("items/x.md", `---\ntitle: ok\npublished: 2022-06-29\n${keys}\n---\nbody\n`);
    expect(errors).toHaveLength(51);
    expect(errors[0]!.message).toBe('items/x.md:4: k0: unknown field (did you mean "id"?)');
    expect(errors[50]!.message).toBe("items/x.md: (record): 99950 more problems not listed");
  });

  it("lists of up to 100 authors, categories and enclosures; one more is refused (each category is a scope with its own feeds)", () => {
    const cats = (n: number) => Array.from({ length: n }, (_, i) => `Cat ${i}`);
    const ok = parseRecord("items/x.md", record({ ...VALID, categories: cats(100) }), site);
    expect(ok.ok && "article" in ok && ok.article.categories.length).toBe(100);
    const errors = errorsOf("items/x.md", record({ ...VALID, categories: cats(101), authors: cats(20_000), enclosures: Array(101).fill({ url: "/a.mp3", type: "audio/mpeg", length: 1 }) }));
    expect(errors.map(String)).toEqual([
      "RecordError: items/x.md:5: authors: has 20000 entries; the limit is 100",
      "RecordError: items/x.md:4: categories: has 101 entries; the limit is 100",
      "RecordError: items/x.md:6: enclosures: has 101 entries; the limit is 100",
    ]);
  });

  it("a field name with a newline or quote is JSON-quoted, so the message stays one line", () => {
    const errors = errorsOf("items/x.md", '---\ntitle: ok\npublished: 2022-06-29\n"a\\nb": 1\n---\nbody\n');
    expect(errors.map(String)).toEqual(['RecordError: items/x.md: "a\\nb": unknown field']);
  });

  it("long values are quoted cut at 80 characters, with their length", () => {
    const errors = errorsOf("items/x.md", record({ ...VALID, language: "x".repeat(500_000), authors: [{ name: "K", email: `a@${".".repeat(100_000)}@` }] }));
    expect(errors.map((e) => e.message)).toEqual([
      `items/x.md:5: authors[0].email: "a@${".".repeat(78)}"… (100003 characters) is not an email address`,
      `items/x.md:4: language: "${"x".repeat(80)}"… (500000 characters) is not a BCP 47 language tag`,
    ]);
  });

  it.each([
    ["0022-06-29", '"0022-06-29" is in the year 22: years must be 1900–9999'],
    ["1899-12-31", '"1899-12-31" is in the year 1899: years must be 1900–9999'],
    ["1900-01-01", '"1900-01-01" is in the year 1899 in UTC: years must be 1900–9999'],
    ["9999-12-31T23:59:59-23:59", '"9999-12-31T23:59:59-23:59" is in the year 10000 in UTC: years must be 1900–9999'],
    ["9999-12-31T20:00:00Z", `"9999-12-31T20:00:00Z" is in the year 10000 in the site's time zone (Asia/Tokyo): years must be 1900–9999`],
  ])("published %s is refused", (date, problem) => {
    expect(errorsOf("items/x.md", record({ ...VALID, published: date })).map((e) => e.problem)).toEqual([problem]);
  });

  it.each(["1900-01-02", "1900-01-01T09:00:00+09:00", "9999-12-31", "9999-12-31T14:59:59Z"])("published %s, at the edges, is kept", (date) => {
    const result = parseRecord("items/x.md", record({ ...VALID, published: date }), site);
    expect(result.ok ? "ok" : result.errors.map(String)).toBe("ok");
  });
});

describe("embargo: a date-time the article is held back until (core/embargo.ts)", () => {
  it("is read like published (offset, or a bare date in the site's zone) and kept on the article", () => {
    const result = parseRecord("items/x.md", record({ ...VALID, embargo: "2022-07-01T06:00:00+09:00" }), site);
    if (!result.ok || !("article" in result)) throw new Error("expected an article");
    expect(result.article.embargo?.toISOString()).toBe("2022-06-30T21:00:00.000Z");
    const day = parseRecord("items/x.md", record({ ...VALID, embargo: "2022-07-01" }), site);
    expect(day.ok && "article" in day ? day.article.embargo?.toISOString() : undefined).toBe("2022-06-30T15:00:00.000Z");
  });

  it("a bad one names the file, its line and the field", () => {
    const text = `---\ntitle: ok\npublished: 2022-06-29T09:00:00Z\nembargo: next Tuesday\n---\nbody\n`;
    expect(errorsOf("items/x.md", text).map((e) => e.message)).toEqual([
      'items/x.md:4: embargo: "next Tuesday" is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)',
    ]);
    expect(errorsOf("items/x.md", record({ ...VALID, embargo: 5 })).map((e) => `${e.field}: ${e.problem}`)).toEqual(["embargo: must be an ISO 8601 date-time (quote it)"]);
  });
});
