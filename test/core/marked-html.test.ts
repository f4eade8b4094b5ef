/**
 * The fast path of article HTML (src/core/marked-html.ts) against the full
 * sanitizer (src/core/sanitize.ts): on marked's rendering of generated,
 * hostile and hand-picked bodies, whenever the fast path gives a result it is
 * the full sanitizer's, byte for byte; and it does give one for the
 * Markdown a wire story is written in, or it would be no faster.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarked, renderMarkdown } from "../../src/core/markdown.js";
import { sanitizeMarkedHtml } from "../../src/core/marked-html.js";
import { RENDER_LIMITS, RenderLimitError } from "../../src/core/render-limits.js";
import { sanitizeHtml } from "../../src/core/sanitize.js";
import { stripForbiddenXmlChars } from "../../src/core/text.js";
import { hostileText, markdownBody, runs } from "../support/arbitraries.js";

const BASE = "https://news.example/items/story";

/** Both sanitizers on marked's HTML for `body` (after the text hygiene record parsing applies): "fast" when the fast path answered (and agreed), "full" when it declined. */
function compare(body: string): "fast" | "full" | "refused" {
  let rendering;
  try {
    rendering = renderMarked(stripForbiddenXmlChars(body).trim(), BASE);
  } catch (error) {
    if (error instanceof RenderLimitError) return "refused";
    throw error;
  }
  let full: string | RenderLimitError;
  try {
    full = sanitizeHtml(rendering.raw, BASE);
  } catch (error) {
    if (!(error instanceof RenderLimitError)) throw error;
    full = error;
  }
  let fast: string | undefined | RenderLimitError;
  try {
    fast = sanitizeMarkedHtml(rendering.raw, BASE);
  } catch (error) {
    if (!(error instanceof RenderLimitError)) throw error;
    fast = error;
  }
  if (fast === undefined) return "full";
  if (fast instanceof RenderLimitError || full instanceof RenderLimitError) {
    expect(fast instanceof RenderLimitError && full instanceof RenderLimitError && fast.problem === full.problem, `${JSON.stringify(body)}: one refused, the other not`).toBe(true);
    return "refused";
  }
  expect(fast, JSON.stringify(body)).toBe(full);
  return "fast";
}

/** Markdown without raw HTML: everything a wire desk writes, with awkward text, URLs and titles around it. */
const MARKDOWN_ONLY = [
  "\n\n", "# ", "## ", "###### ", "*", "**", "_", "__", "~~", "`", "``", "\\*", "\\_", "\\<", "\\[", "\n", "  \n", "\\\n",
  "```\n", "\n```", "```js\n", "```c++ x\n", "~~~\n", "    indented code\n", "> ", "> > ", "\n- ", "\n  - ", "\n    - ", "\n1. ", "\n3) ", "\n10. ",
  "---\n", "***\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "| l | c | r |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", "|x|\n|-|\n", "| h |\n|---|\n",
  "[link](https://x.example/a?b=1&c=2)", "[rel](../other)", "[frag](#top)", "[bad](javascript:alert(1))", "[t](https://x.example/ \"a \\\"q\\\" <b> & 'c'\")",
  "[t](<https://x.example/a b>)", "[mail](mailto:desk@news.example)", "[ftp](ftp://files.example/a)", "[e](https://x.example/&amp;&copy;)",
  "![img](/p.jpg)", "![alt *em* `c`](https://img.example/a.png \"T & <t>\")", "![data](data:image/png;base64,AAAA)", "![](relative.png)",
  "[![img](/i.png)](https://x.example/)", "[ref]", "[ref][]", "[x][ref]", "\n\n[ref]: https://ref.example/a \"Ref title\"\n",
  "https://auto.example/path?q=1", "www.example.com/a", "desk@news.example", "<https://angle.example/>", "<desk@news.example>",
  "- [x] done", "- [ ] todo", "&copy;", "&nbsp;", "&#0;", "&#x85;", "&#xD800;", "&amp", "&bogus;", "&lt;b&gt;", "&#39;", "&quot;",
  "a < b", "a > b", "<<>>", "5 <= 6", "x<y", "1 < 2 > 0", "\u00A0", "\t", "(end) mk.ibi", "TOKYO, June 29 (Kyodo) --",
];

const markdownOnly = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...MARKDOWN_ONLY) }, { weight: 1, arbitrary: hostileText(2) }), { maxLength: 24 })
  .map((pieces) => pieces.join(""));

describe("marked's HTML read directly gives the full sanitizer's bytes", () => {
  it("on Markdown without raw HTML, and it answers for most of it", { timeout: 120_000 }, () => {
    const tally = { fast: 0, full: 0, refused: 0 };
    fc.assert(
      fc.property(markdownOnly, (body) => {
        tally[compare(body)]++;
      }),
      runs(3000),
    );
    // Without raw HTML the fast path declines only odd shapes.
    expect(tally.fast).toBeGreaterThan(tally.full * 4);
  });

  it("on hostile bodies with raw HTML (the fast path is not used for those, but must still never disagree)", { timeout: 120_000 }, () => {
    fc.assert(fc.property(markdownBody, (body) => void compare(body)), runs(3000));
  });

  it.each([
    ["paragraphs and a dateline", "TOKYO, June 29 (Kyodo) -- Japan said.\n\nMore text & more.\n\n(end) mk.ibi"],
    ["emphasis of every kind", "*a* **b** ***c*** _d_ __e__ ~~f~~ `g` ``h ` i``"],
    ["headings", "# One\n\n## Two *em*\n\n###### Six"],
    ["nested lists and quotes", "- a\n  - b\n    1. c\n    2. d\n\n> quote\n> > nested\n> - item"],
    ["a loose list", "- a\n\n- b\n\n  para\n"],
    ["an ordered list from 3", "3. three\n4. four"],
    ["fenced code with a language", "```ts\nconst a = 1 < 2 && \"x\";\n```"],
    ["indented code", "para\n\n    <b>not html</b>\n    &amp;"],
    ["a table with alignment", "| l | c | r |\n|:--|:-:|--:|\n| *1* | `2` | [3](https://x.example/) |"],
    ["a table without body rows", "| h | i |\n|---|---|"],
    ["links, titles, schemes", "[a](https://x.example/?q=1&r=2 \"t 'q' & \\\"b\\\"\") [b](javascript:x) [c](/rel) [d](#f) [e](mailto:a@b.example)"],
    ["images, kept and dropped", "![a](https://i.example/a.png \"T\") ![b](data:x) ![c *d*](/c.png)"],
    ["autolinks", "https://a.example/x www.b.example desk@news.example <https://c.example/>"],
    ["entities", "&copy; &nbsp; &#0; &#x85; &#xD800; &amp &bogus; &lt;script&gt; &#128512;"],
    ["a hard line break", "line one  \nline two\\\nline three"],
    ["a horizontal rule", "a\n\n---\n\nb"],
    ["a task list", "- [x] done\n- [ ] todo"],
  ])("%s: the fast path answers, with the full sanitizer's bytes", (_label, body) => {
    expect(compare(body)).toBe("fast");
  });

  it("declines what a browser would build differently, and the full path still renders it", () => {
    // Raw HTML: the full sanitizer's alone.
    for (const body of ["a <b>bold</b> b", "<div>\nblock\n</div>", "x <!-- c --> y"]) {
      const rendering = renderMarked(body, BASE);
      expect(rendering.rawHtml || sanitizeMarkedHtml(rendering.raw, BASE) === undefined, body).toBe(true);
      expect(renderMarkdown(body, BASE).html.length).toBeGreaterThan(0);
    }
    // HTML of shapes marked does not write, given to it directly.
    for (const html of ["<p><p>a</p></p>", "<p><ul><li>a</li></ul></p>", "<a href=\"https://x.example/\"><a href=\"https://y.example/\">b</a></a>",
      "<table>text</table>", "<pre>\nx</pre>", "<h1><h2>a</h2></h1>", "<tr><td>a</td></tr>", "<li>a</li>", "<p>a", "a</p>", "<em>a<strong>b</em></strong>",
      "<p title='x'>a</p>", "<p title=\"a\" title=\"b\">a</p>", "<br/>", "<P>a</P>", "<span>a</span>", "<p>a\r\nb</p>", "<!-- c -->"]) {
      expect(sanitizeMarkedHtml(html, BASE), html).toBeUndefined();
    }
  });

  it("refuses nesting past the render limit exactly where the full sanitizer does", () => {
    const quotes = (depth: number, inner: string) => `${"<blockquote>\n".repeat(depth)}${inner}\n${"</blockquote>\n".repeat(depth)}`;
    const emphasis = (depth: number) => `<p>${"<em>".repeat(depth)}x${"</em>".repeat(depth)}</p>`;
    const cases = [(d: number) => quotes(d, ""), (d: number) => quotes(d - 1, "<p>x</p>"), (d: number) => quotes(d - 1, "<hr>"), (d: number) => emphasis(d - 1)];
    for (const html of cases) {
      for (let depth = RENDER_LIMITS.maxDepth - 3; depth <= RENDER_LIMITS.maxDepth + 1; depth++) {
        const outcome = (sanitize: () => string | undefined) => {
          try {
            return sanitize();
          } catch (error) {
            return error instanceof RenderLimitError ? "refused" : "threw";
          }
        };
        expect(outcome(() => sanitizeMarkedHtml(html(depth), BASE)), `${html(depth).slice(0, 40)} ${depth}`).toBe(outcome(() => sanitizeHtml(html(depth), BASE)));
      }
    }
    expect(() => sanitizeMarkedHtml(quotes(RENDER_LIMITS.maxDepth + 1, ""), BASE)).toThrow(RenderLimitError);
  });

  it("answers for every fixture record's body without raw HTML", () => {
    const dirs = ["test/fixtures/items"];
    let bodies = 0;
    for (const dir of dirs) {
      for (const name of readdirSync(dir).filter((n) => n.endsWith(".md"))) {
        const text = readFileSync(join(dir, name), "utf8");
        const body = text.replace(/^---\n[\s\S]*?\n---\n/, "");
        const outcome = compare(body);
        if (!/<[a-zA-Z!/]/.test(body)) expect(outcome, name).not.toBe("full");
        bodies++;
      }
    }
    expect(bodies).toBeGreaterThan(3);
  });
});
