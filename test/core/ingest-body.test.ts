import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordError } from "../../src/core/errors.js";
import { renderBody } from "../../src/core/markdown.js";
import { parseRecord } from "../../src/core/record.js";
import { sanitizeHtml } from "../../src/core/sanitize.js";
import { bodyMarkdown, plainTextParagraphs } from "../../src/ingest/body.js";
import type { BodySource } from "../../src/ingest/imported-story.js";
import { decodeEntities, stripForbiddenXmlChars } from "../../src/core/text.js";
import { markdownBody, runs } from "../support/arbitraries.js";
import { record, testSite } from "../support/fixtures.js";

const URL_OF_X = "https://news.example/items/x";
const html = (value: string): BodySource => ({ kind: "html", value, field: "$.body_html" });
const text = (value: string): BodySource => ({ kind: "text", value, field: "$.body_text" });

/** The HTML a reader gets from the record whose body this is: the whole pipeline, renderer and sanitizer included. */
function rendered(markdown: string): string {
  const result = parseRecord("items/x.md", record({ title: "T", published: "2022-06-29" }, markdown), testSite());
  if (!result.ok || !("article" in result)) throw new Error(`invalid: ${JSON.stringify(result)}`);
  return renderBody(result.article).html;
}

const squeeze = (s: string) => s.replace(/\s+/g, " ").replace(/> </g, "><").trim();

describe("HTML bodies become Markdown records that render to the sanitized HTML", () => {
  it.each([
    ["plain paragraphs", "<p>One.</p>\n<p>Two.</p>"],
    ["emphasis and links", '<p>The <em>oil</em> ministry <a href="/x">said</a>.</p><p>Plain.</p>'],
    ["a paragraph that looks like Markdown", "<p>1. Not a list * or _emphasis_ # or [link](x)</p>"],
    ["lists, quotes, tables and headings", "<h2>Sub</h2><ul><li>a</li><li>b</li></ul><blockquote><p>q</p></blockquote><table><tr><td>1</td></tr></table>"],
    ["a pre with blank lines", "<pre>line 1\n\nline 3 *not* markdown\n\n</pre><p>after</p>"],
  ])("%s", (_name, input) => {
    const markdown = bodyMarkdown("f.json", html(input), URL_OF_X);
    expect(squeeze(rendered(markdown))).toBe(squeeze(sanitizeHtml(input, URL_OF_X)));
  });

  it("inline content outside any block is wrapped in a paragraph, so Markdown never reads it", () => {
    const markdown = bodyMarkdown("f.json", html('Loose <b>*text*</b> and <a href="https://a.example/">a link</a>'), URL_OF_X);
    expect(markdown).toBe('<p>Loose <b>*text*</b> and <a href="https://a.example/">a link</a></p>');
    expect(rendered(markdown)).toBe(markdown);
  });

  it("what the sanitizer removes is gone from the record itself: scripts, handlers, javascript: links, styles", () => {
    const markdown = bodyMarkdown(
      "f.json",
      html('<p onclick="x()">A <a href="javascript:alert(1)">b</a></p><script>alert(2)</script><style>p{}</style><iframe src="https://evil.example/"></iframe><img src="x.png" onerror="y()">'),
      URL_OF_X,
    );
    expect(markdown).toBe('<p>A <a>b</a></p>\n\n<p><img src="https://news.example/items/x.png"></p>');
  });

  it("a plain <p> is a Markdown paragraph an editor can read; <div> wrappers go; source white space collapses", () => {
    expect(bodyMarkdown("f.json", html("<div>\n  <p>Kuwait   will\n keep output.</p>\n  <div><p>Second.</p></div>\n</div>"), URL_OF_X)).toBe(
      "Kuwait will keep output.\n\nSecond.",
    );
  });

  it("nested deeper than the renderer allows: a problem at the body's field, not a crash", () => {
    const deep = `${"<div>".repeat(100)}x${"</div>".repeat(100)}`;
    expect(() => bodyMarkdown("f.json", { ...html(deep), line: 3 }, URL_OF_X)).toThrow(
      "f.json:3: $.body_html: nests deeper than 64 levels (quotes, lists, emphasis, links or HTML elements inside one another)",
    );
  });

  it("a body with no text left after sanitizing is refused", () => {
    expect(() => bodyMarkdown("f.json", html("<script>only()</script>"), URL_OF_X)).toThrow("f.json: $.body_html: has no text");
    expect(() => bodyMarkdown("f.json", text(" \n\n "), URL_OF_X)).toThrow("f.json: $.body_text: has no text");
  });
});

describe("plain-text bodies", () => {
  it("blank lines separate paragraphs, the lines inside one are joined", () => {
    expect(plainTextParagraphs("One line\nwrapped.\n\nTwo.\r\n\r\nThree.")).toEqual(["One line wrapped.", "Two.", "Three."]);
  });

  it("without blank lines each line is a paragraph, as wires send them", () => {
    expect(plainTextParagraphs("One.\nTwo.\n")).toEqual(["One.", "Two."]);
  });

  it("Markdown characters are escaped so the page shows the agency's text", () => {
    const markdown = bodyMarkdown("f.json", text("1. Oil <b>up</b> *5%*"), URL_OF_X);
    expect(rendered(markdown)).toBe("<p>1. Oil &lt;b&gt;up&lt;/b&gt; *5%*</p>");
  });
});

describe("HTML bodies: property", () => {
  /**
   * What a reader sees: the characters of the text in order, references decoded. White space is left out
   * of the comparison: the import collapses source white space and puts blocks on lines of their own.
   */
  const seen = (htmlText: string) => decodeEntities(htmlText.replace(/<[^>]*>/g, "")).replace(/\s+/g, "");

  it("any HTML, hostile or not: the record validates and shows the text the sanitizer keeps, or the body is refused at its field", () => {
    fc.assert(
      fc.property(markdownBody, (input) => {
        let markdown: string;
        try {
          markdown = bodyMarkdown("f.json", html(input), URL_OF_X);
        } catch (error) {
          expect(error).toBeInstanceOf(RecordError);
          expect((error as RecordError).field).toBe("$.body_html");
          return;
        }
        const out = rendered(markdown);
        // The sanitizer as the renderer calls it: after text hygiene.
        expect(seen(out)).toBe(seen(sanitizeHtml(stripForbiddenXmlChars(input), URL_OF_X)));
      }),
      runs(300),
    );
  });
});
