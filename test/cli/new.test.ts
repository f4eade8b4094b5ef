import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLACEHOLDER_BODY } from "../../src/cli/new.js";
import { freeSlug, MAX_SLUG_LENGTH, slugify } from "../../src/cli/slug.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { parseRecord, SLUG } from "../../src/core/record.js";
import { collapseWhitespace } from "../../src/core/text.js";
import { record } from "../support/fixtures.js";
import { itemsOf, project, SITE_CONFIG, wirefeed } from "./support.js";

// 00:30 UTC is 09:30 in Tokyo, the test site's zone.
const NOW = new Date("2026-11-27T00:30:00Z");

function parsed(cwd: string, name: string, config: Record<string, unknown> = {}) {
  const site = parseSiteConfig({ ...SITE_CONFIG, ...config }, "test");
  return parseRecord(`items/${name}`, readFileSync(join(cwd, "items", name)), site);
}

describe("wirefeed new", () => {
  it("writes a draft with the title, now in the site's zone, and a placeholder; it validates", async () => {
    const cwd = project();
    const result = await wirefeed(["new", "Kuwait keeps crude output steady"], { cwd, now: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(["items/kuwait-keeps-crude-output-steady.md"]);
    expect(result.stderr).toEqual([
      'new: wrote a draft with a placeholder body; remove "draft: true" from items/kuwait-keeps-crude-output-steady.md to publish',
    ]);
    const text = itemsOf(cwd)["kuwait-keeps-crude-output-steady.md"]!;
    expect(text).toContain("published: 2026-11-27T09:30:00+09:00\n");
    expect(text).toContain(`\n${PLACEHOLDER_BODY}\n`);
    expect(parsed(cwd, "kuwait-keeps-crude-output-steady.md")).toEqual({ ok: true, draft: true, slug: "kuwait-keeps-crude-output-steady" });
    expect((await wirefeed(["validate"], { cwd })).code).toBe(0);
  });

  it("--publish with --body: a live article with that body and the categories", async () => {
    const cwd = project();
    const args = ["new", "Markets rally", "--body", "Stocks rose.\n\nBonds fell.", "--publish", "--category", "Markets", "--category", "Asia"];
    expect((await wirefeed(args, { cwd, now: NOW })).code).toBe(0);
    const result = parsed(cwd, "markets-rally.md");
    if (!result.ok || !("article" in result)) throw new Error(JSON.stringify(result));
    expect(result.article).toMatchObject({ title: "Markets rally", body: "Stocks rose.\n\nBonds fell.", categories: ["Markets", "Asia"] });
    expect(result.article.published.getTime()).toBe(NOW.getTime());
  });

  it("--body - reads the body from standard input", async () => {
    const cwd = project();
    expect((await wirefeed(["new", "From stdin", "--body", "-"], { cwd, now: NOW, stdin: "Piped text.\n" })).code).toBe(0);
    expect(itemsOf(cwd)["from-stdin.md"]).toMatch(/\n\nPiped text\.\n$/);
  });

  it("the offset is the site zone's at that instant (New York in winter: -05:00)", async () => {
    const cwd = project({}, { timeZone: "America/New_York" });
    await wirefeed(["new", "Winter"], { cwd, now: NOW });
    expect(itemsOf(cwd)["winter.md"]).toContain("published: 2026-11-26T19:30:00-05:00\n");
  });

  it("a taken slug gets -2, -3…; an explicit --slug that is taken is refused", async () => {
    const cwd = project({ "talks.md": record({ title: "Talks", published: "2022-06-29" }) });
    const second = await wirefeed(["new", "Talks"], { cwd, now: NOW });
    const third = await wirefeed(["new", "Talks!"], { cwd, now: NOW });
    expect([second.stdout, third.stdout]).toEqual([["items/talks-2.md"], ["items/talks-3.md"]]);
    const before = itemsOf(cwd);
    const refused = await wirefeed(["new", "Other", "--slug", "talks"], { cwd, now: NOW });
    expect(refused).toEqual({ code: 1, stdout: [], stderr: ["new: items/talks.md already exists; choose another --slug"] });
    expect(itemsOf(cwd)).toEqual(before);
  });

  it("any title reads back as the same string (YAML quoting by the yaml package)", async () => {
    const titles = [
      'He said: "no" # not a comment',
      "'single' and \"double\" quotes",
      "- starts like a list item",
      "yes",
      "null",
      "123",
      "2022-06-29",
      "[in brackets] {and braces}",
      "&anchor *alias !tag %directive @at `tick`",
      "--- three dashes --- in the middle",
      "Ünïcödé — “curly” quotes… and emoji 🛢️",
      `A very long headline ${"that keeps going ".repeat(12)}--- past any folding width`,
      "  extra   inner   spaces  ",
    ];
    const cwd = project();
    for (const [i, title] of titles.entries()) {
      const result = await wirefeed(["new", "--slug", `t${i}`, "--body", "Text.", "--publish", "--", title], { cwd, now: NOW });
      expect(result.code).toBe(0);
      const article = parsed(cwd, `t${i}.md`);
      if (!article.ok || !("article" in article)) throw new Error(`${title}: ${JSON.stringify(article)}`);
      expect(article.article.title).toBe(collapseWhitespace(title));
    }
  });

  it("usage errors: no title, two titles, empty title, bad --slug, --publish without --body, missing --dir", async () => {
    const cwd = project();
    for (const args of [
      ["new"],
      ["new", "a", "b"],
      ["new", "   "],
      ["new", "T", "--slug", "Not A Slug"],
      ["new", "T", "--publish"],
      ["new", "T", "--dir", "nowhere"],
      ["new", "T", "--body", ""],
      ["new", "T", "--category", " "],
    ]) {
      const result = await wirefeed(args, { cwd, now: NOW });
      expect([args, result.code, result.stderr.at(-1)]).toEqual([args, 2, 'Run "wirefeed new --help" for usage.']);
    }
    expect(itemsOf(cwd)).toEqual({});
  });

  it("--slug may have 128 characters, the limit for every record; 235 is a usage error (it once failed writing the file)", async () => {
    const cwd = project();
    const ok = await wirefeed(["new", "T", "--slug", "a".repeat(128)], { cwd, now: NOW });
    expect([ok.code, ok.stdout]).toEqual([0, [`items/${"a".repeat(128)}.md`]]);
    const long = await wirefeed(["new", "T", "--slug", "b".repeat(235)], { cwd, now: NOW });
    expect(long).toEqual({ code: 2, stdout: [], stderr: ["wirefeed new: --slug is 235 characters long; the limit is 128", 'Run "wirefeed new --help" for usage.'] });
    expect(Object.keys(itemsOf(cwd))).toEqual([`${"a".repeat(128)}.md`]);
  });

  it("a body that makes the record larger than 1 MiB: exit 1, nothing written (the record would be refused at load)", async () => {
    const cwd = project();
    const result = await wirefeed(["new", "T", "--body", "x".repeat(1024 * 1024), "--publish"], { cwd, now: NOW });
    expect(result).toEqual({ code: 1, stdout: [], stderr: ["items/t.md: (file): is larger than the limit of 1048576 bytes"] });
    expect(itemsOf(cwd)).toEqual({});
  });

  it("a record the parser would refuse (a body of control characters only): exit 1, nothing written", async () => {
    const cwd = project();
    const result = await wirefeed(["new", "T", "--body", "\u0001\u0002"], { cwd, now: NOW });
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(["items/t.md:6: body: is empty: an article needs text after the front matter"]);
    expect(itemsOf(cwd)).toEqual({});
  });
});

describe("slugs", () => {
  it.each([
    ["Japan PM seeks upgrade of NATO partnership after Russia's war", "japan-pm-seeks-upgrade-of-nato-partnership-after-russias-war"],
    ["Überraschung in São Paulo: Ærø, Łódź & Straße", "uberraschung-in-sao-paulo-aero-lodz-strasse"],
    ["İstanbul ＯＰＥＣ＋ talks", "istanbul-opec-talks"],
    ["  --Already--slugged--  ", "already-slugged"],
    ["الكويت", ""],
  ])("%s → %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("long titles are cut at a word, within the limit, and stay valid slugs", () => {
    const slug = slugify("word ".repeat(40));
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toMatch(SLUG);
    expect(slug.endsWith("word")).toBe(true);
  });

  it("freeSlug keeps the suffix within the limit", () => {
    const base = "a".repeat(MAX_SLUG_LENGTH);
    const next = freeSlug(base, new Set([base]));
    expect(next).toBe(`${"a".repeat(MAX_SLUG_LENGTH - 2)}-2`);
  });

  it("a title with no Latin letters gets a dated slug", async () => {
    const cwd = project();
    const result = await wirefeed(["new", "الكويت تحافظ على الإنتاج"], { cwd, now: NOW });
    expect(result.stdout).toEqual(["items/story-2026-11-27.md"]);
  });
});
