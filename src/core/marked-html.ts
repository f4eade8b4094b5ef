/**
 * The fast path of article HTML: what sanitizeHtml (sanitize.ts) makes of
 * HTML that marked wrote from a body with no raw HTML in it, computed
 * without building a tree.
 *
 * sanitizeHtml parses its input as a browser would, twice, around an
 * allow-list filter: most of a record's parse time. marked, given no raw
 * HTML, writes only a few well-formed shapes: elements of a fixed set,
 * properly nested and closed, attributes double-quoted with their quotes and
 * angle brackets escaped, text escaped. For those, a browser's tree is the
 * tags as written; what sanitizeHtml then does is decode character
 * references (with the decoder its HTML parser uses), apply the policy of
 * html-policy.ts and write the tags back out, which is what this does in one
 * pass.
 *
 * Anything outside those shapes, including every place where a browser's
 * tree builder would move, close or reopen an element (a block opened inside
 * a paragraph, a link inside a link, text directly in a table…), returns
 * undefined: the caller then takes the full path. So the result, when there
 * is one, is the full path's, byte for byte (test/core/marked-html.test.ts
 * compares the two on generated and hostile bodies).
 */
import { decodeHTML, decodeHTMLAttribute } from "entities/decode";
import { cleanAttributes, cleanText, escapeText, startTag, VOID, type Attribute } from "./html-policy.js";
import { RENDER_LIMITS, tooDeep } from "./render-limits.js";

/** The elements marked's renderer writes (task-list boxes are text here: markdown.ts's FeedRenderer). */
const MARKED_ELEMENTS = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "ul", "ol", "li", "hr", "br",
  "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "del", "a", "img",
]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
/** Start tags a browser treats as closing an open <p> (of those marked writes). */
const CLOSES_P = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "table", "hr"]);
/** Elements only valid directly inside one of these (elsewhere a browser adds or drops elements). */
const PARENTS: Record<string, readonly string[]> = {
  li: ["ul", "ol"],
  thead: ["table"],
  tbody: ["table"],
  tr: ["thead", "tbody"],
  th: ["tr"],
  td: ["tr"],
};
/** Inside these, a browser moves text that is not white space out of the table, and expects only table parts. */
const TABLE_PARTS = new Set(["table", "thead", "tbody", "tr"]);
/** HTML's ASCII white space: the only text a browser keeps in place inside table parts. */
const NOT_WHITE_SPACE = /[^\t\n\f\r ]/;

/** A start or end tag as marked writes it: lower case, double-quoted attributes without raw quotes or angle brackets. */
const TAG = /<(\/?)([a-z][a-z0-9]*)((?: [a-z]+="[^"<>]*")*)>/y;
const ATTRIBUTE = / ([a-z]+)="([^"]*)"/g;

function attributesOf(text: string): Attribute[] | undefined {
  const out: Attribute[] = [];
  for (const [, name, value] of text.matchAll(ATTRIBUTE)) {
    // A repeated attribute: a browser keeps the first; marked never writes one, so this is not its output.
    if (out.some((a) => a.name === name)) return undefined;
    const decoded = decodeHTMLAttribute(value!);
    // The full path writes attribute values with "<" unescaped for its allow-list filter, which reads "<!--" in one
    // as a comment and rewrites the tag (e.g. a code block's language "a<!--"): such values are left to it.
    if (decoded.includes("<")) return undefined;
    out.push({ name: name!, value: decoded });
  }
  return out;
}

/**
 * sanitizeHtml(html, base) for `html` that marked rendered from a body
 * without raw HTML; undefined when `html` is not of the shapes described
 * above (then sanitizeHtml must be used). Throws the same RenderLimitError
 * as sanitizeHtml for elements nested deeper than RENDER_LIMITS.maxDepth.
 */
export function sanitizeMarkedHtml(html: string, base: string): string | undefined {
  // A browser turns CR into LF before anything else; marked's lexer already did, so a CR here is not its doing.
  if (html.includes("\r")) return undefined;
  const open: string[] = [];
  let paragraphs = 0;
  let links = 0;
  let out = "";
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf("<", at);
    const end = lt === -1 ? html.length : lt;
    if (end > at) {
      const text = html.slice(at, end);
      const parent = open[open.length - 1];
      // Text directly in <pre> (its first newline is dropped by a browser) or in a table outside its cells.
      if (parent === "pre" || (parent !== undefined && TABLE_PARTS.has(parent) && NOT_WHITE_SPACE.test(text))) return undefined;
      out += escapeText(cleanText(decodeHTML(text)));
      at = end;
      if (lt === -1) break;
    }
    TAG.lastIndex = at;
    const tag = TAG.exec(html);
    if (!tag) return undefined;
    at = TAG.lastIndex;
    const [, slash, name, attributeText] = tag as unknown as [string, string, string, string];
    if (!MARKED_ELEMENTS.has(name)) return undefined;
    const parent = open[open.length - 1];
    if (slash) {
      if (attributeText || parent !== name) return undefined;
      open.pop();
      if (name === "p") paragraphs--;
      else if (name === "a") links--;
      out += `</${name}>`;
      continue;
    }
    if (paragraphs > 0 && CLOSES_P.has(name)) return undefined;
    if (name === "a" && links > 0) return undefined;
    if (HEADINGS.has(name) && parent !== undefined && HEADINGS.has(parent)) return undefined;
    const parents = PARENTS[name];
    if (parents && (parent === undefined || !parents.includes(parent))) return undefined;
    if (parent !== undefined && TABLE_PARTS.has(parent) && !parents) return undefined;
    if (parent === "pre" && name !== "code") return undefined;
    // The same bound as sanitizeHtml's: its tree builder counts the fragment parser's root element above the body's
    // own, so there an element at depth maxDepth is already one too deep, and so it is here.
    if (open.length + 1 >= RENDER_LIMITS.maxDepth) throw tooDeep();
    const attributes = attributesOf(attributeText);
    if (!attributes) return undefined;
    const kept = cleanAttributes(name, attributes, base);
    const isVoid = VOID.has(name);
    if (!isVoid) {
      open.push(name);
      if (name === "p") paragraphs++;
      else if (name === "a") links++;
    }
    // An image whose source the policy refused is left out, as sanitizeHtml leaves it out.
    if (name === "img" && !kept.some((a) => a.name === "src")) continue;
    out += startTag(name, kept);
  }
  return open.length === 0 ? out : undefined;
}
