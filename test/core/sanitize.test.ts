/**
 * Article HTML is sanitized before it reaches a feed or a page: nothing that
 * runs code, frames, styles or forms; http(s)/mailto links only, absolute;
 * and what remains is HTML the W3C validator's checks accept.
 */
import { describe, expect, it } from "vitest";
import { renderBody } from "../../src/core/markdown.js";
import { siteFeed } from "../../src/core/feed-model.js";
import { renderArticlePage } from "../../src/core/render/html.js";
import { renderAtom } from "../../src/core/render/atom.js";
import { renderJson } from "../../src/core/render/json.js";
import { renderRss } from "../../src/core/render/rss.js";
import { sanitizeHtml } from "../../src/core/sanitize.js";
import { article, testSite } from "../support/fixtures.js";
import { htmlElements, htmlText, unsafeParts } from "../support/html.js";
import { checkAtom, checkHtml, checkRss } from "../support/w3c-rules.js";
import { child, parseXml } from "../support/xml.js";

const BASE = "https://news.example/items/story";

function validatorFindings(html: string): string[] {
  const f: string[] = [];
  checkHtml(f, "body", html, true);
  return f;
}

/** [label, hostile input, text a reader must still see] */
const HOSTILE: [string, string, string][] = [
  ["script element", "a<script>alert(1)</script>b", "ab"],
  ["unclosed script swallows the rest, as in a browser", "keep<script>alert(1)", "keep"],
  ["script in SVG", "<svg><script>alert(1)</script></svg>z", "z"],
  ["event handler", '<p onclick="alert(1)" onmouseover=x>click</p>', "click"],
  ["javascript: link", '<a href="javascript:alert(1)">j</a>', "j"],
  ["entity-encoded javascript: link", '<a href="jav&#x61;script&colon;alert(1)">j</a>', "j"],
  ["javascript: with tab and spaces", '<a href=" java\tscript:alert(1)">j</a>', "j"],
  ["vbscript: link", '<a href="vbscript:msgbox(1)">v</a>', "v"],
  ["data: link", '<a href="data:text/html,<script>alert(1)</script>">d</a>', "d"],
  ["data: image", '<img src="data:image/png;base64,AAAA" alt="pixel">x', "x"],
  ["iframe", '<iframe src="https://evil.example/">inside</iframe>after', "after"],
  ["style element", "<style>body{display:none}</style>visible", "visible"],
  ["style attribute", '<span style="position:fixed;top:0">styled</span>', "styled"],
  ["form", '<form action="https://evil.example/"><input name="pw"><button>Go</button></form>after', "after"],
  ["object and embed", '<object data="x.swf"></object><embed src="x.swf">e', "e"],
  ["meta refresh and base", '<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">m', "m"],
  ["noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">n</noscript>', '">n'],
  ["math/style mutation", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""],
  ["comment", "<!-- <script>alert(1)</script> -->c", "c"],
  ["srcset and formaction", '<img src="/a.png" srcset="javascript:x 1x"><button formaction="javascript:x">b</button>', ""],
];

describe("sanitizeHtml", () => {
  it.each(HOSTILE)("%s: removed; the text stays; validator-clean", (_label, input, text) => {
    const out = sanitizeHtml(input, BASE);
    expect(unsafeParts(out)).toEqual([]);
    expect(validatorFindings(out)).toEqual([]);
    expect(htmlText(out)).toBe(text);
  });

  it("the safety check is not vacuous: it flags every hostile input as given", () => {
    for (const [label, input] of HOSTILE.filter(([l]) => !/unclosed|comment|mutation/.test(l))) {
      expect(unsafeParts(input), label).not.toEqual([]);
    }
  });

  it("unclosed and misnested tags come out balanced, as a browser reads them", () => {
    expect(sanitizeHtml("<div>unclosed <b>bold", BASE)).toBe("<div>unclosed <b>bold</b></div>");
    expect(sanitizeHtml("<p><div>x</div></p>", BASE)).toBe("<p></p><div>x</div><p></p>");
    expect(sanitizeHtml("<div/>self-closed", BASE)).toBe("<div>self-closed</div>");
    expect(sanitizeHtml("<table><tr><td>1</td></tr></table>", BASE)).toBe("<table><tbody><tr><td>1</td></tr></tbody></table>");
    for (const input of ["<div>unclosed <b>bold", "<p><div>x</div></p>", "<ul><li>a<li>b", "<i><b>x</i></b>", "<table><b>t</b><tr><td>c"]) {
      expect(validatorFindings(sanitizeHtml(input, BASE)), input).toEqual([]);
    }
  });

  it("relative URLs in raw HTML become absolute; allowed schemes stay", () => {
    const out = sanitizeHtml('<a href="other?x=1&amp;y=2">o</a> <a href="#top">t</a> <a href="mailto:desk@news.example">m</a> <img src="/img/a.jpg" alt="A"> <a href="//cdn.example/x">p</a>', BASE);
    expect(htmlElements(out).map((e) => e.attrs)).toEqual([
      { href: "https://news.example/items/other?x=1&y=2" },
      { href: "https://news.example/items/story#top" },
      { href: "mailto:desk@news.example" },
      { src: "https://news.example/img/a.jpg", alt: "A" },
      { href: "https://cdn.example/x" },
    ]);
    expect(validatorFindings(out)).toEqual([]);
  });

  it("attributes outside the allow-list go; allowed ones are checked", () => {
    const out = sanitizeHtml('<code class="language-ts">x</code><code class="evil big">y</code><ol start="3" type="a" id="clobber"><li>z</li></ol><td align="center">', BASE);
    expect(htmlElements(out).map((e) => [e.tag, e.attrs])).toEqual([
      ["code", { class: "language-ts" }],
      ["code", {}],
      ["ol", { start: "3" }],
      ["li", {}],
    ]);
  });

  it("text keeps its characters: quotes, ampersands, < and >, RTL and emoji", () => {
    const text = `AT&T <says> "hi" 'there' — القاهرة 🚀 e\u0301`;
    const input = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(htmlText(sanitizeHtml(`<p>${input}</p>`, BASE))).toBe(text);
  });

  it("character references to characters XML or HTML forbid are removed, not passed on", () => {
    const out = sanitizeHtml("a&#1;b&#x7f;c&#xFDD0;d", BASE);
    expect(out).toBe("abcd");
  });

  it("a leading newline in <pre> survives", () => {
    expect(htmlText(sanitizeHtml("<pre>\n\ncode</pre>", BASE))).toBe("\ncode");
  });
});

describe("a hostile record body, end to end", () => {
  const body = [
    "Intro with [a relative link](/notes/a) and a [bad one](javascript:alert(1)).",
    "",
    '<div onclick="steal()">raw <b>unclosed <script>alert(1)</script>',
    "",
    '<iframe src="https://evil.example/"></iframe><style>p{}</style><form action="/x"><input></form>',
    "",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>"> <img src="photo.jpg" alt="A photo">',
    "",
    "- [x] done",
    "- [ ] open",
  ].join("\n");
  const site = testSite();
  const a = article("hostile", { title: "Hostile body" }, body, site);
  const html = renderBody(a).html;

  it("is safe and validator-clean HTML", () => {
    expect(unsafeParts(html)).toEqual([]);
    expect(validatorFindings(html)).toEqual([]);
    expect(html).toContain('<a href="https://news.example/notes/a">a relative link</a>');
    expect(html).toContain('<img src="https://news.example/items/photo.jpg" alt="A photo">');
    expect(htmlText(html)).toContain("\u2611 done");
  });

  it("every format carries exactly the sanitized HTML, and the feeds pass the validator's checks", () => {
    const model = siteFeed(site, [a]);
    const rss = renderRss(model);
    const atom = renderAtom(model);
    expect(child(child(child(parseXml(rss), "channel"), "item"), "content:encoded").text).toBe(html);
    expect(child(child(parseXml(atom), "entry"), "content").text).toBe(html);
    expect(JSON.parse(renderJson(model)).items[0].content_html).toBe(html);
    expect(checkRss(rss, "https://news.example/rss.xml")).toEqual([]);
    expect(checkAtom(atom, "https://news.example/atom.xml")).toEqual([]);
    const page = renderArticlePage(site, a);
    expect(unsafeParts(page.slice(page.indexOf("<main>"), page.indexOf("</main>")))).toEqual([]);
  });
});
