/**
 * An imported body → the record's Markdown body. Records are Markdown, whose
 * HTML blocks pass through to the renderer, so an HTML body is first run
 * through the project's sanitizer (the same that renders every record) and
 * then written as Markdown an editor can read:
 *
 * - a paragraph of plain text becomes a Markdown paragraph, escaped so it
 *   reads as written (`plainTextToMarkdown`);
 * - any other block (a paragraph with links or emphasis, a list, a table, a
 *   quote) stays HTML, one block per line with its newlines written as
 *   `&#10;`, so no blank line can end the HTML block early and let Markdown
 *   read what is left;
 * - inline content outside any block is wrapped in <p>, so Markdown never
 *   reads it as Markdown; a <div> only wraps, its blocks stand on their own;
 * - runs of white space become one space, except inside <pre>.
 *
 * Plain-text bodies: blank lines separate paragraphs (the lines inside one
 * are joined); without blank lines, each line is a paragraph, as wires send it.
 */
import { parseFragment, serialize, type DefaultTreeAdapterTypes as T } from "parse5";
import { RecordError } from "../core/errors.js";
import { RenderLimitError } from "../core/render-limits.js";
import { sanitizeHtml } from "../core/sanitize.js";
import { collapseWhitespace, stripForbiddenXmlChars } from "../core/text.js";
import { plainTextToMarkdown } from "../core/wire-story.js";
import type { BodySource } from "./imported-story.js";

/** HTML's block elements the sanitizer keeps: each starts an HTML block in Markdown (CommonMark types 1 and 6). */
const BLOCKS = new Set(["p", "div", "blockquote", "pre", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "figcaption"]);

export function plainTextParagraphs(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  const chunks = /\n[ \t]*\n/.test(normalized) ? normalized.split(/\n[ \t]*\n/) : normalized.split("\n");
  return chunks.map(collapseWhitespace).filter((p) => p !== "");
}

/** HTML's white space (a no-break space is text, not layout). */
const HTML_SPACE = /[ \t\n\r\f]+/g;
const EDGE_SPACE = /^[ \t\n\r\f]+|[ \t\n\r\f]+$/g;

/**
 * Source white space is layout, not text: runs of it become one space,
 * except inside <pre>. (Sanitized trees are at most 64 elements deep, so this may recurse.)
 */
function collapseSpaces(node: T.ChildNode, inPre: boolean): void {
  if (node.nodeName === "#text") {
    if (!inPre) (node as T.TextNode).value = (node as T.TextNode).value.replace(HTML_SPACE, " ");
    return;
  }
  if ("childNodes" in node) for (const child of node.childNodes) collapseSpaces(child, inPre || node.nodeName === "pre");
}

const outerHtml = (node: T.ChildNode) => serialize({ nodeName: "#document-fragment", childNodes: [node] } as unknown as T.DocumentFragment);

/** Sanitized HTML → Markdown blocks, as described above. A <div> is only a wrapper: its blocks stand on their own. */
function htmlToMarkdown(clean: string): string[] {
  const blocks: string[] = [];
  let inline = "";
  const flushInline = () => {
    const trimmed = inline.replace(EDGE_SPACE, "");
    if (trimmed !== "") blocks.push(`<p>${trimmed}</p>`);
    inline = "";
  };
  const visit = (nodes: readonly T.ChildNode[]) => {
    for (const node of nodes) {
      collapseSpaces(node, false);
      if (!("tagName" in node) || !BLOCKS.has(node.tagName)) {
        if (node.nodeName === "#text" || "tagName" in node) inline += outerHtml(node);
        continue;
      }
      flushInline();
      if (node.tagName === "div") {
        visit(node.childNodes);
        flushInline();
        continue;
      }
      const onlyText = node.tagName === "p" && node.childNodes.every((c) => c.nodeName === "#text");
      if (onlyText) {
        const text = node.childNodes.map((c) => (c as T.TextNode).value).join("").replace(HTML_SPACE, " ").replace(EDGE_SPACE, "");
        if (text !== "") blocks.push(plainTextToMarkdown(text));
      } else blocks.push(outerHtml(node).replace(/\n/g, "&#10;"));
    }
  };
  visit(parseFragment(clean).childNodes);
  flushInline();
  return blocks;
}

/**
 * The Markdown body of a record at `articleUrl` (relative links are made
 * absolute against it, as the renderer would). Throws a RecordError naming
 * the body's field when there is no text or the HTML is nested too deep.
 */
export function bodyMarkdown(file: string, body: BodySource, articleUrl: string): string {
  // Text hygiene first, as for every record body: parse5 throws on some lone surrogates (a JSON string may carry them).
  const value = stripForbiddenXmlChars(body.value);
  let blocks: string[];
  if (body.kind === "text") blocks = plainTextParagraphs(value).map(plainTextToMarkdown);
  else {
    try {
      blocks = htmlToMarkdown(sanitizeHtml(value, articleUrl));
    } catch (error) {
      if (error instanceof RenderLimitError) throw new RecordError(file, body.field, error.problem, body.line);
      throw error;
    }
  }
  if (blocks.length === 0) throw new RecordError(file, body.field, "has no text", body.line);
  return blocks.join("\n\n");
}
