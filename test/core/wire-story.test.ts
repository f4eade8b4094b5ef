import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderBody } from "../../src/core/markdown.js";
import { parseRecord } from "../../src/core/record.js";
import { decodeEntities } from "../../src/core/text.js";
import {
  dateInYear,
  isPageChrome,
  latestDateNotAfter,
  parseWireStory,
  plainTextToMarkdown,
  type WireStory,
} from "../../src/core/wire-story.js";
import { record, testSite } from "../support/fixtures.js";
import { readSample, SAMPLE_SEED } from "../support/sample-items.js";

const SEED = readFileSync("test/fixtures/seed-article.txt", "utf8");

function storyOf(text: string): WireStory {
  const result = parseWireStory("story.txt", text);
  if (!result.ok) throw new Error(`expected a story, got ${result.error.message}`);
  return result.story;
}

function errorOf(text: string): string {
  const result = parseWireStory("story.txt", text);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.story)}`);
  return result.error.message;
}

describe("parseWireStory: the seed story", () => {
  const story = storyOf(SEED);
  // The bundled record of the same story was written by hand: an independent reading of it.
  const bundled = parseRecord("items/x.md", readSample(SAMPLE_SEED), testSite());
  if (!bundled.ok || !("article" in bundled)) throw new Error("bundled seed record invalid");

  it("reads headline, dateline, agency, date and desk as the hand-made record has them", () => {
    expect(story.headline).toBe(bundled.article.title);
    expect(story.dateline).toBe(bundled.article.dateline);
    expect(story.source).toBe(bundled.article.source);
    expect(story.desk).toBe(bundled.article.desk);
    expect({ month: story.month, day: story.day, written: story.datelineDate }).toEqual({ month: 6, day: 29, written: "June 29" });
  });

  it("keeps one paragraph per source line, without the dateline prefix or the trailer", () => {
    expect(story.paragraphs).toEqual(bundled.article.body.split("\n\n"));
    expect(story.paragraphs[0]).toMatch(/^Japanese Prime Minister/);
    expect(story.paragraphs.at(-1)).toMatch(/members of the Quad group alongside the US and India\.$/);
  });

  it("drops the font-size buttons and says so", () => {
    expect(story.paragraphs.join("\n")).not.toContain("A+");
    expect(story.notes).toEqual(["dropped page chrome on line 1"]);
  });
});

describe("parseWireStory: variants", () => {
  it.each([
    ["KUWAIT CITY, July 3 (KUNA) -- Oil output held.", { dateline: "KUWAIT CITY", source: "KUNA", month: 7, day: 3 }],
    ["SEOUL, Jan. 5 (Yonhap) -- A drill began.", { dateline: "SEOUL", source: "Yonhap", month: 1, day: 5 }],
    ["NEW YORK, March 1 (AP) — Markets opened.", { dateline: "NEW YORK", source: "AP", month: 3, day: 1 }],
    ["CANBERRA, Sept. 12 (AAP) – Talks resumed.", { dateline: "CANBERRA", source: "AAP", month: 9, day: 12 }],
    ["WASHINGTON, D.C., Dec 24 (Reuters)--Offices closed.", { dateline: "WASHINGTON, D.C.", source: "Reuters", month: 12, day: 24 }],
    ["SÃO PAULO, February 29 (Agência Brasil) -- Rain fell.", { dateline: "SÃO PAULO", source: "Agência Brasil", month: 2, day: 29 }],
  ])("%s", (datelineLine, expected) => {
    const story = storyOf(`Headline\n${datelineLine}\nSecond paragraph.`);
    expect(story).toMatchObject(expected);
    expect(story.paragraphs).toEqual([datelineLine.replace(/^.*(?:--|—|–)\s*/, ""), "Second paragraph."]);
  });

  it("joins a headline that spans two lines", () => {
    const story = storyOf("Kuwait keeps crude output steady\nas OPEC+ talks near\n\nKUWAIT, June 29 (KUNA) -- Text.");
    expect(story.headline).toBe("Kuwait keeps crude output steady as OPEC+ talks near");
  });

  it("takes a valid dateline after an upper-case headline with a comma", () => {
    const story = storyOf("NATO, JAPAN AGREE TO DEEPEN TIES\nTOKYO, June 29 (KUNA) -- Text.");
    expect(story.headline).toBe("NATO, JAPAN AGREE TO DEEPEN TIES");
    expect(story.dateline).toBe("TOKYO");
  });

  it("without a trailer: no desk, the last paragraph whole", () => {
    const story = storyOf("H\nTOKYO, June 29 (KUNA) -- One.\nTwo (end of quote).");
    expect(story.desk).toBeUndefined();
    expect(story.paragraphs).toEqual(["One.", "Two (end of quote)."]);
  });

  it("a trailer on its own line, with or without initials, and in capitals", () => {
    expect(storyOf("H\nTOKYO, June 29 (KUNA) -- One.\n(end) ha.gb").paragraphs).toEqual(["One."]);
    expect(storyOf("H\nTOKYO, June 29 (KUNA) -- One.\n(end) ha.gb").desk).toBe("ha.gb");
    expect(storyOf("H\nTOKYO, June 29 (KUNA) -- One. (END)").desk).toBeUndefined();
    expect(storyOf("H\nTOKYO, June 29 (KUNA) -- One. (END)").paragraphs).toEqual(["One."]);
  });

  it("ignores what the page adds after the trailer, and says which lines", () => {
    const story = storyOf("H\nTOKYO, June 29 (KUNA) -- One. (end) mk.ibi\n\nRelated news\nOther headline");
    expect(story.paragraphs).toEqual(["One."]);
    expect(story.notes).toEqual(['ignored lines 4–5 after the "(end)" trailer']);
    expect(storyOf("H\nTOKYO, June 29 (KUNA) -- One. (end)\nA\n\nB").notes).toEqual(['ignored lines 3, 5 after the "(end)" trailer']);
  });

  it("reads CRLF files, a BOM and a dateline with the first paragraph on the next line", () => {
    const story = storyOf("\uFEFFHead\r\nTOKYO, June 29 (KUNA) --\r\nFirst.\r\nSecond. (end) mk.ibi\r\n");
    expect(story.headline).toBe("Head");
    expect(story.paragraphs).toEqual(["First.", "Second."]);
  });

  it("drops share, print and advertisement lines anywhere, keeps sentences that use those words", () => {
    const story = storyOf(
      [
        "Share | Print | Email",
        "Font size: A- A A+",
        "Headline",
        "TOKYO, June 29 (KUNA) -- One.",
        "Advertisement",
        "Share prices rose on the news.",
        "Print media reported it first. (end) mk.ibi",
        "Share on Facebook · Share on X",
      ].join("\n"),
    );
    expect(story.paragraphs).toEqual(["One.", "Share prices rose on the news.", "Print media reported it first."]);
    expect(story.notes).toEqual(["dropped page chrome on lines 1–2, 5, 8"]);
  });

  it("isPageChrome: toolbars yes, text no", () => {
    for (const line of ["A+ A-", "A+A-", "Print", "Share this article", "E-mail | Print | Tweet", "Skip to content"]) {
      expect([line, isPageChrome(line)]).toEqual([line, true]);
    }
    for (const line of ["A", "Share prices fell", "Save the Children said", "Print this page, the minister said to the press"]) {
      expect([line, isPageChrome(line)]).toEqual([line, false]);
    }
  });
});

describe("parseWireStory: errors name the line and the reason", () => {
  it("no dateline: where one was expected", () => {
    expect(errorOf("A+ A-\n\nSome headline\nSome text without a dateline.\nMore.")).toBe(
      'story.txt:4: dateline: expected "CITY, Month Day (AGENCY) --" after the headline',
    );
  });

  it.each([
    ["TOKYO, Jnue 29 (KUNA) -- x", '"Jnue" is not a month'],
    ["TOKYO, June 31 (KUNA) -- x", '"June 31" is not a date'],
    ["TOKYO, June 29 x", 'no "(AGENCY)" or "--" after "June 29"'],
    ["TOKYO, June 29 () -- x", "the agency in parentheses is empty"],
    ["TOKYO, June 29 (KUNA) x", 'no "--" after "(KUNA)"'],
    ["NEW YORK (AP) — x", "no date between the place and the agency"],
    ["TOKYO, yesterday (KUNA) -- x", 'no "Month Day" after "TOKYO,"'],
  ])("%s", (line, reason) => {
    expect(errorOf(`Headline\n\n${line}\nMore.`)).toBe(`story.txt:3: dateline: expected "CITY, Month Day (AGENCY) --": ${reason}`);
  });

  it("a dateline with no headline before it", () => {
    expect(errorOf("TOKYO, June 29 (KUNA) -- x")).toBe("story.txt:1: headline: missing: the headline comes before the dateline");
  });

  it("more than two lines before the dateline", () => {
    expect(errorOf("Home > World\nBreadcrumbs\nHeadline\nTOKYO, June 29 (KUNA) -- x")).toBe(
      "story.txt:1: headline: 3 lines before the dateline (lines 1–3); a headline has one or two: remove the others",
    );
  });

  it("a dateline and nothing after it", () => {
    expect(errorOf("Headline\nTOKYO, June 29 (KUNA) --\n(end) mk.ibi")).toBe("story.txt:2: body: no text after the dateline");
  });

  it("an empty file, and one with only page chrome", () => {
    expect(errorOf(" \n\n")).toBe("story.txt: (file): is empty");
    expect(errorOf("A+ A-\nPrint")).toBe("story.txt: (file): has only page chrome, no story");
  });
});

describe("the year of a dateline", () => {
  it("the latest such date not after today", () => {
    expect(latestDateNotAfter(6, 29, "2026-11-27")).toBe("2026-06-29");
    expect(latestDateNotAfter(6, 29, "2026-03-01")).toBe("2025-06-29");
    expect(latestDateNotAfter(6, 29, "2026-06-29")).toBe("2026-06-29");
    expect(latestDateNotAfter(6, 30, "2026-06-29")).toBe("2025-06-30");
    expect(latestDateNotAfter(12, 31, "2027-01-01")).toBe("2026-12-31");
  });

  it("Feb 29 goes back to the last leap year", () => {
    expect(latestDateNotAfter(2, 29, "2026-03-01")).toBe("2024-02-29");
    expect(latestDateNotAfter(2, 29, "2028-02-29")).toBe("2028-02-29");
    expect(dateInYear(2, 29, 2026)).toBeUndefined();
    expect(dateInYear(2, 29, 2024)).toBe("2024-02-29");
  });
});

describe("plainTextToMarkdown", () => {
  // What a reader sees: the rendered paragraph's text.
  const shown = (markdown: string) => {
    const result = parseRecord("items/x.md", record({ title: "T", published: "2022-06-29" }, markdown), testSite());
    if (!result.ok || !("article" in result)) throw new Error("invalid");
    const html = renderBody(result.article).html;
    return { html, text: decodeEntities(html.replace(/<[^>]*>/g, "")).trim() };
  };

  it.each([
    "1. The ministry said it would act.",
    "2022) was the year.",
    "# not a heading",
    "> not a quote",
    ">not a quote either",
    "- not a list",
    "+ not a list",
    "---",
    "<b>bold</b> and <script>x</script>",
    "AT&T said &amp; means ampersand; &#169; too",
    "*stars* and _underscores_ and __double__",
    "[a link](https://example.com) and ![an image](x.png)",
    "~~struck~~ and ~single~",
    "`code` and a back\\slash\\",
  ])("%s reads as written", (text) => {
    const { html, text: seen } = shown(plainTextToMarkdown(text));
    expect(seen).toBe(text);
    expect(html.startsWith("<p>")).toBe(true);
  });

  it("leaves ordinary wire text alone", () => {
    const text = "Kishida (NATO) said \"unity\" matters, Japan's Indo-Pacific role - too; 50% up! #1?";
    expect(plainTextToMarkdown(text)).toBe(text);
  });
});
