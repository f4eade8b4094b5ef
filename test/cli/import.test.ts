import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/config.js";
import { parseRecord } from "../../src/core/record.js";
import { record } from "../support/fixtures.js";
import { itemsOf, project, SITE_CONFIG, wirefeed } from "./support.js";
import { readSample, SAMPLE_SEED } from "../support/sample-items.js";

const SEED = readFileSync("test/fixtures/seed-article.txt", "utf8");
const SEED_SLUG = "japan-pm-seeks-upgrade-of-nato-partnership-after-russias-war";
/** 2026-11-27 in Tokyo (the test site's zone). */
const NOV_27 = new Date("2026-11-27T03:00:00Z");

/** A project with the story saved as story.txt next to items/. */
function withStory(story: string, records: Record<string, string> = {}): string {
  const cwd = project(records);
  writeFileSync(join(cwd, "story.txt"), story);
  return cwd;
}

function articleIn(cwd: string, name: string) {
  const site = parseSiteConfig(SITE_CONFIG, "test");
  const result = parseRecord(`items/${name}`, readFileSync(join(cwd, "items", name)), site);
  if (!result.ok || !("article" in result)) throw new Error(`${name}: ${JSON.stringify(result)}`);
  return result.article;
}

describe("wirefeed import: the seed story", () => {
  it("writes a record that validates and reads back as the bundled hand-made one", async () => {
    const cwd = withStory(SEED);
    const result = await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 });
    expect(result).toEqual({
      code: 0,
      stdout: [`items/${SEED_SLUG}.md`],
      stderr: [
        'import: dateline "June 29" has no year; used 2026-06-29 (latest not after today); pass --year to choose',
        "import: story.txt: dropped page chrome on line 1",
      ],
    });
    expect((await wirefeed(["validate"], { cwd })).code).toBe(0);
    const site = parseSiteConfig(SITE_CONFIG, "test");
    const bundled = parseRecord("items/x.md", readSample(SAMPLE_SEED), site);
    if (!bundled.ok || !("article" in bundled)) throw new Error("bundled record invalid");
    const imported = articleIn(cwd, `${SEED_SLUG}.md`);
    const fields = ({ title, dateline, source, desk, body }: typeof imported) => ({ title, dateline, source, desk, body });
    expect(fields(imported)).toEqual(fields(bundled.article));
    expect(imported.body.split("\n\n")).toHaveLength(11);
    // A bare date: midnight of June 29 in Tokyo.
    expect(imported.published.toISOString()).toBe("2026-06-28T15:00:00.000Z");
  });

  it("--year and --date choose the year, and say so", async () => {
    const cwd = withStory(SEED);
    const byYear = await wirefeed(["import", "story.txt", "--year", "2022", "--slug", "by-year"], { cwd, now: NOV_27 });
    expect(byYear.stderr[0]).toBe('import: dateline "June 29"; used 2022-06-29 (--year 2022)');
    const byDate = await wirefeed(["import", "story.txt", "--date", "2022-06-29", "--slug", "by-date"], { cwd, now: NOV_27 });
    expect(byDate.stderr[0]).toBe('import: dateline "June 29"; used 2022-06-29 (--date)');
    expect(articleIn(cwd, "by-year.md").id).toBe("tag:news.example,2022-06-29:by-year");
    expect(articleIn(cwd, "by-date.md").id).toBe("tag:news.example,2022-06-29:by-date");
  });
});

describe("wirefeed import: the year", () => {
  const dated = async (now: Date, story = SEED) => {
    const cwd = withStory(story);
    const result = await wirefeed(["import", "story.txt", "--slug", "s"], { cwd, now });
    return { message: result.stderr[0], file: itemsOf(cwd)["s.md"] ?? "" };
  };

  it("today 2026-11-27: June 29 is 2026-06-29", async () => {
    const { message, file } = await dated(NOV_27);
    expect(message).toBe('import: dateline "June 29" has no year; used 2026-06-29 (latest not after today); pass --year to choose');
    expect(file).toContain("\npublished: 2026-06-29\n");
  });

  it("today 2026-03-01: June 29 is 2025-06-29", async () => {
    const { message, file } = await dated(new Date("2026-03-01T03:00:00Z"));
    expect(message).toBe('import: dateline "June 29" has no year; used 2025-06-29 (latest not after today); pass --year to choose');
    expect(file).toContain("\npublished: 2025-06-29\n");
  });

  it("today is the site's today: 16:00 UTC on June 28 is already June 29 in Tokyo", async () => {
    const { file } = await dated(new Date("2026-06-28T16:00:00Z"));
    expect(file).toContain("\npublished: 2026-06-29\n");
  });

  it("--date that does not match the dateline, a Feb 29 --year that has none: exit 1, nothing written", async () => {
    const cwd = withStory(SEED);
    const mismatch = await wirefeed(["import", "story.txt", "--date", "2022-06-30"], { cwd, now: NOV_27 });
    expect(mismatch).toEqual({ code: 1, stdout: [], stderr: ['import: --date 2022-06-30 does not match the dateline "June 29"'] });
    writeFileSync(join(cwd, "leap.txt"), "Leap day\nTOKYO, Feb. 29 (KUNA) -- Text.");
    const leap = await wirefeed(["import", "leap.txt", "--year", "2026"], { cwd, now: NOV_27 });
    expect(leap).toEqual({ code: 1, stdout: [], stderr: ['import: dateline "Feb. 29" has no such day in 2026'] });
    expect(itemsOf(cwd)).toEqual({});
  });

  it("bad --year / --date values, or both: usage error 2", async () => {
    const cwd = withStory(SEED);
    for (const args of [["--year", "26"], ["--year", "abcd"], ["--date", "2022-02-30"], ["--year", "2022", "--date", "2022-06-29"]]) {
      const result = await wirefeed(["import", "story.txt", ...args], { cwd, now: NOV_27 });
      expect([args, result.code]).toEqual([args, 2]);
    }
    expect(itemsOf(cwd)).toEqual({});
  });
});

describe("wirefeed import: other stories", () => {
  it.each([
    {
      story: "Kuwait keeps crude output steady\nas OPEC+ talks near\n\nKUWAIT CITY, July 3 (KUNA) -- Kuwait will hold output.\nExports run in line with contracts. (end) ha.gb\n",
      slug: "kuwait-keeps-crude-output-steady-as-opec-talks-near",
      fields: { title: "Kuwait keeps crude output steady as OPEC+ talks near", dateline: "KUWAIT CITY", source: "KUNA", desk: "ha.gb" },
      body: "Kuwait will hold output.\n\nExports run in line with contracts.",
      published: "2026-07-03",
    },
    {
      story: "Seoul stages cyber drill\nSEOUL, Jan. 5 (Yonhap) -- The drill began on Monday.\nIt ends Friday.",
      slug: "seoul-stages-cyber-drill",
      fields: { title: "Seoul stages cyber drill", dateline: "SEOUL", source: "Yonhap", desk: undefined },
      body: "The drill began on Monday.\n\nIt ends Friday.",
      published: "2026-01-05",
    },
    {
      story: "Stocks open higher\nNEW YORK, March 1 (AP) — Stocks opened higher.\n1. Tech led the gains.\n(end)",
      slug: "stocks-open-higher",
      fields: { title: "Stocks open higher", dateline: "NEW YORK", source: "AP", desk: undefined },
      // "1." would start a Markdown list: escaped, so the page shows the agency's text.
      body: "Stocks opened higher.\n\n1\\. Tech led the gains.",
      published: "2026-03-01",
    },
  ])("$fields.dateline ($fields.source)", async ({ story, slug, fields, body, published }) => {
    const cwd = withStory(story);
    const result = await wirefeed(["import", "story.txt", "--category", "Wire", "--category", "Asia"], { cwd, now: NOV_27 });
    expect(result.stdout).toEqual([`items/${slug}.md`]);
    expect((await wirefeed(["validate"], { cwd })).code).toBe(0);
    const article = articleIn(cwd, `${slug}.md`);
    expect({ title: article.title, dateline: article.dateline, source: article.source, desk: article.desk }).toEqual(fields);
    expect(article.body).toBe(body);
    expect(article.categories).toEqual(["Wire", "Asia"]);
    expect(itemsOf(cwd)[`${slug}.md`]).toContain(`\npublished: ${published}\n`);
  });

  it("reads standard input with -", async () => {
    const cwd = project();
    const result = await wirefeed(["import", "-", "--slug", "piped"], { cwd, now: NOV_27, stdin: SEED });
    expect(result.code).toBe(0);
    expect(articleIn(cwd, "piped.md").desk).toBe("mk.ibi");
    expect(result.stderr).toContain("import: (stdin): dropped page chrome on line 1");
  });

  it("a headline in another script gets a slug from dateline and date", async () => {
    const cwd = withStory("الكويت تحافظ على الإنتاج\nKUWAIT CITY, July 3 (KUNA) -- Text.");
    expect((await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 })).stdout).toEqual(["items/kuwait-city-2026-07-03.md"]);
  });
});

describe("wirefeed import: refusals", () => {
  it("a story without a dateline: the line and the reason, exit 1, nothing written", async () => {
    const cwd = withStory("A+ A-\n\nMinistry statement\nThe ministry said on Tuesday it would act.\nMore text.\n");
    const result = await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 });
    expect(result).toEqual({
      code: 1,
      stdout: [],
      stderr: ['story.txt:4: dateline: expected "CITY, Month Day (AGENCY) --" after the headline'],
    });
    expect(readdirSync(join(cwd, "items"))).toEqual([]);
  });

  it("a binary file: exit 1, nothing written", async () => {
    const cwd = project();
    writeFileSync(join(cwd, "story.txt"), new Uint8Array([0xff, 0xfe, 0x00, 0x41]));
    const result = await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 });
    expect(result).toEqual({ code: 1, stdout: [], stderr: ["story.txt: (file): is binary (contains NUL bytes), not a text record"] });
    expect(readdirSync(join(cwd, "items"))).toEqual([]);
  });

  it("an existing record is kept unless --force", async () => {
    const existing = record({ title: "Older version", published: "2022-06-29" });
    const cwd = withStory(SEED, { [`${SEED_SLUG}.md`]: existing });
    const refused = await wirefeed(["import", "story.txt"], { cwd, now: NOV_27 });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toEqual([]);
    expect(refused.stderr.at(-1)).toBe(
      `import: items/${SEED_SLUG}.md already exists; pass --force to replace it, or --slug to choose another name`,
    );
    expect(itemsOf(cwd)).toEqual({ [`${SEED_SLUG}.md`]: existing });

    const forced = await wirefeed(["import", "story.txt", "--force"], { cwd, now: NOV_27 });
    expect(forced.code).toBe(0);
    expect(forced.stderr.at(-1)).toBe(`import: replaced items/${SEED_SLUG}.md (--force)`);
    expect(articleIn(cwd, `${SEED_SLUG}.md`).title).toBe("Japan PM seeks upgrade of NATO partnership after Russia's war");
    // Atomic write: no temporary file left beside the record.
    expect(readdirSync(join(cwd, "items"))).toEqual([`${SEED_SLUG}.md`]);
  });

  it("usage errors: no file, a missing file, a bad --slug, a missing --dir", async () => {
    const cwd = withStory(SEED);
    for (const args of [["import"], ["import", "nope.txt"], ["import", "story.txt", "--slug", "Bad_Slug"], ["import", "story.txt", "--dir", "nowhere"]]) {
      const result = await wirefeed(args, { cwd, now: NOV_27 });
      expect([args, result.code, result.stderr.at(-1)]).toEqual([args, 2, 'Run "wirefeed import --help" for usage.']);
    }
    expect(itemsOf(cwd)).toEqual({});
  });

  it("--slug over 128 characters, the limit for every record: usage error, nothing written", async () => {
    const cwd = withStory(SEED);
    const result = await wirefeed(["import", "story.txt", "--year", "2022", "--slug", "s".repeat(240)], { cwd, now: NOV_27 });
    expect(result).toEqual({ code: 2, stdout: [], stderr: ["wirefeed import: --slug is 240 characters long; the limit is 128", 'Run "wirefeed import --help" for usage.'] });
    expect(itemsOf(cwd)).toEqual({});
  });
});
