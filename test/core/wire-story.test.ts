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
    "See https://kuna.net.kw/a_b*c, www.kuna.net.kw/x_y and (http://x.example/a)<b",
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

describe("parseWireStory: KUNA's other layouts", () => {
  it.each([
    ["Tokyo, June 29 (KUNA) -- One.", { dateline: "Tokyo", source: "KUNA", month: 6, day: 29, datelineDate: "June 29" }],
    ["Kuwait City, July 3 (KUNA) -- One.", { dateline: "Kuwait City", month: 7, day: 3 }],
    ["Rio de Janeiro, July 3 (KUNA) -- One.", { dateline: "Rio de Janeiro", month: 7, day: 3 }],
    ["TOKYO, June 29, 2022 (KUNA) -- One.", { dateline: "TOKYO", month: 6, day: 29, year: 2022, datelineDate: "June 29, 2022" }],
    ["TOKYO, 29 June (KUNA) -- One.", { dateline: "TOKYO", month: 6, day: 29, datelineDate: "29 June" }],
    ["TOKYO, 29 June 2022 (KUNA) -- One.", { month: 6, day: 29, year: 2022, datelineDate: "29 June 2022" }],
    ["Tokyo, 1 Feb. (KUNA) — One.", { dateline: "Tokyo", month: 2, day: 1 }],
  ])("%s", (line, expected) => {
    const story = storyOf(`Headline\n${line}`);
    expect(story).toMatchObject(expected);
    expect(story.paragraphs).toEqual(["One."]);
    expect(story.language).toBeUndefined();
  });

  it("a dateline without agency: imported without a source, and the notes say so with the line", () => {
    const story = storyOf("Headline\nTOKYO, June 29 -- One.");
    expect(story.source).toBeUndefined();
    expect(story.notes).toEqual(["line 2: the dateline names no agency; the record has no source (pass --source to give one)"]);
  });

  it("a headline with a comma and capitals is no dateline: the one below is", () => {
    const story = storyOf("Kuwait, Japan discuss energy ties\nTokyo, June 29 (KUNA) -- One.");
    expect(story.headline).toBe("Kuwait, Japan discuss energy ties");
    expect(story.dateline).toBe("Tokyo");
  });

  it("a sentence before the date is no place (more than five words)", () => {
    expect(errorOf("Headline\nThe minister said in a statement on Wednesday, June 29 (KUNA) -- One.")).toBe(
      'story.txt:2: dateline: expected "CITY, Month Day (AGENCY) --" after the headline',
    );
  });

  it.each([
    ["TOKYO, February 29, 2023 (KUNA) -- x", '"February 29, 2023" is not a date'],
    ["Tokyo, 31 April (KUNA) -- x", '"31 April" is not a date'],
    ["TOKYO, 29 Jnue (KUNA) -- x", '"Jnue" is not a month'],
    ["Tokyo, June 29 x", 'no "(AGENCY)" or "--" after "June 29"'],
    ["Tokyo (KUNA) -- x", "no date between the place and the agency"],
  ])("refused with the line and the reason: %s", (line, reason) => {
    expect(errorOf(`Headline\n\n${line}\nMore.`)).toBe(`story.txt:3: dateline: expected "CITY, Month Day (AGENCY) --": ${reason}`);
  });
});

describe("parseWireStory: KUNA's Arabic layout", () => {
  const ARABIC = readFileSync("test/fixtures/ingest/kuna-arabic.txt", "utf8");

  it("reads the dateline الكويت - 30 - 6 (كونا) --, the (النهاية) trailer with desk initials, and marks the story Arabic", () => {
    const story = storyOf(ARABIC);
    expect(story).toMatchObject({
      headline: "مجلس الوزراء الكويتي يبحث إيرادات النفط وخطة الميزانية",
      dateline: "الكويت",
      source: "كونا",
      month: 6,
      day: 30,
      datelineDate: "30 - 6",
      desk: "ه ص / م ع",
      language: "ar",
    });
    expect(story.paragraphs).toHaveLength(3);
    expect(story.paragraphs[0]).toMatch(/^بحث مجلس الوزراء/);
    expect(story.paragraphs[2]).toBe("وأضاف أن لجنة وزارية ستتابع تنفيذ الخطة وترفع تقاريرها بشكل دوري.");
    expect(story.notes).toEqual(["dropped page chrome on line 1"]);
  });

  it.each([
    ["الكويت - ٣٠ - ٦ (كونا) -- نص.", { month: 6, day: 30 }],
    ["الكويت - 30 يونيو (كونا) -- نص.", { month: 6, day: 30, datelineDate: "30 يونيو" }],
    ["مدينة الكويت - 1 - 7 - 2022 (كونا) -- نص.", { dateline: "مدينة الكويت", month: 7, day: 1, year: 2022 }],
    ["الكويت - 30 - 6 -- نص.", { dateline: "الكويت", month: 6, day: 30 }],
  ])("%s", (line, expected) => {
    const story = storyOf(`عنوان\n${line}\nفقرة. (النهاية)`);
    expect(story).toMatchObject({ ...expected, language: "ar" });
    expect(story.paragraphs).toEqual(["نص.", "فقرة."]);
    expect(story.desk).toBeUndefined();
  });

  it("ignores what the page adds after (النهاية), and says which lines", () => {
    const story = storyOf("عنوان\nالكويت - 30 - 6 (كونا) -- نص. (النهاية) ع ف\nأخبار ذات صلة");
    expect(story.desk).toBe("ع ف");
    expect(story.notes).toEqual(['ignored line 3 after the "(النهاية)" trailer']);
  });

  it.each([
    ["الكويت - 31 - 6 (كونا) -- نص.", '"31 - 6" is not a date'],
    ["الكويت - 30 - 13 (كونا) -- نص.", '"30 - 13" is not a date'],
    ["الكويت - 30 - 6 (كونا) نص.", 'no "--" after "(كونا)"'],
    ["الكويت - 30 - 6 () -- نص.", "the agency in parentheses is empty"],
  ])("refused with the line and the reason: %s", (line, reason) => {
    expect(errorOf(`عنوان\n${line}`)).toBe(`story.txt:2: dateline: expected "CITY - Day - Month (AGENCY) --" (الكويت - 30 - 6 (كونا) --): ${reason}`);
  });
});

describe("parseWireStory: hostile lines", () => {
  // Each was quadratic once (every comma re-read the rest of the line); the answer is the same as for a short line.
  it.each([
    ["commas", "A, ".repeat(300_000)],
    ["place-like words and commas", "Tokyo, June ".repeat(100_000)],
    ["Arabic words and dashes", "الكويت - ".repeat(200_000)],
  ])("%s: refused with the reason", (_name, line) => {
    expect(errorOf(`Headline\n${line}\nMore.`)).toMatch(/^story\.txt:2: dateline: expected "CITY/);
  });
});
