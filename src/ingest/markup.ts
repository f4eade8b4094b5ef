/**
 * NITF and XHTML bodies (XML trees) → HTML text for the project's sanitizer.
 * XHTML is written out as it is (the sanitizer keeps what it allows); NITF's
 * vocabulary is mapped to HTML's: its paragraphs, subheads, quotes, lists
 * and tables become theirs, inline tags such as <person> or <org> give up
 * their text, and <media> (pictures we do not carry) is dropped.
 */
import { escapeHtml } from "../core/text.js";
import { childElements, firstChild, textOf, type XmlElement, type XmlNode } from "./xml-tree.js";

/** NITF element → HTML element; names not listed keep only their content. */
const NITF_TO_HTML: Record<string, string> = {
  p: "p", hl1: "h2", hl2: "h2", bq: "blockquote", block: "div", pre: "pre", hr: "hr", br: "br",
  ol: "ol", ul: "ul", li: "li", dl: "div", dt: "p", dd: "p", table: "table", tr: "tr", td: "td", th: "th",
  thead: "thead", tbody: "tbody", tfoot: "tfoot", em: "em", q: "q", a: "a", credit: "p", tagline: "p",
};
const NITF_DROP = new Set(["media", "nitf-table-metadata", "caption", "note"]);

/** The elements HTML writes without an end tag. */
const VOID = new Set(["br", "hr", "img", "wbr"]);

function attributes(attrs: Record<string, string>, keep?: readonly string[]): string {
  return Object.entries(attrs)
    .filter(([name]) => !name.includes(":") && (!keep || keep.includes(name)))
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join("");
}

type Rename = (element: XmlElement) => { tag: string; keep?: readonly string[] } | "unwrap" | "drop";

/** Written out with its own stack: trees are bounded (MAX_XML_DEPTH), but wide ones are not. */
function toHtml(nodes: readonly XmlNode[], rename: Rename): string {
  let html = "";
  type Frame = { node: XmlNode } | { close: string };
  const stack: Frame[] = [...nodes].reverse().map((node) => ({ node }));
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ("close" in frame) {
      html += frame.close;
      continue;
    }
    const node = frame.node;
    if (typeof node === "string") {
      html += escapeHtml(node);
      continue;
    }
    const how = rename(node);
    if (how === "drop") continue;
    if (how !== "unwrap") {
      html += `<${how.tag}${attributes(node.attrs, how.keep)}>`;
      if (VOID.has(how.tag)) continue;
      stack.push({ close: `</${how.tag}>` });
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]! });
  }
  return html;
}

/** An <nitf> document (or its <body>, or <body.content>) → HTML of its story text. */
export function nitfToHtml(nitf: XmlElement): { html: string; dropped: number; headline?: string } {
  const body = nitf.name === "nitf" ? firstChild(nitf, "body") : nitf;
  const content = body?.name === "body.content" ? body : childElements(body ?? nitf, "body.content");
  const parts = Array.isArray(content) ? content : [content];
  let dropped = 0;
  const html = parts
    .map((part) =>
      toHtml(part.children, (el) => {
        if (NITF_DROP.has(el.name)) {
          if (el.name === "media") dropped++;
          return "drop";
        }
        const tag = NITF_TO_HTML[el.name];
        if (!tag) return "unwrap";
        return { tag, keep: tag === "a" ? ["href"] : tag === "td" || tag === "th" ? ["colspan", "rowspan"] : [] };
      }),
    )
    .join("");
  const hl1 = firstChild(firstChild(firstChild(body, "body.head"), "hedline"), "hl1");
  return { html, dropped, ...(hl1 ? { headline: textOf(hl1) } : {}) };
}

/** XHTML (an <html> document, its <body>, or any elements) → HTML; the <head> is left out. */
export function xhtmlToHtml(nodes: readonly XmlNode[]): string {
  const html = nodes.find((n): n is XmlElement => typeof n !== "string" && n.name === "html");
  const inner = html ? (firstChild(html, "body")?.children ?? []) : nodes;
  return toHtml(inner, (el) => (el.name === "head" ? "drop" : { tag: el.name }));
}

