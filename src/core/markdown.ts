import { Marked, type Token, type Tokens } from "marked";
import type { Article } from "./article.js";
import { sanitizeHtml } from "./sanitize.js";
import { collapseWhitespace, decodeEntities, stripForbiddenXmlChars } from "./text.js";

/** Link targets in feeds must be absolute: a feed reader has no base URL to resolve against. */
function absolutise(href: string, base: string): string {
  if (href.startsWith("#")) return base + href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

function markedFor(base: string): Marked {
  return new Marked({
    gfm: true,
    // Task-list boxes as characters: form controls are not allowed in feeds or pages.
    renderer: { checkbox: ({ checked }) => (checked ? "\u2611 " : "\u2610 ") },
    walkTokens(token) {
      if (token.type === "link" || token.type === "image") {
        const t = token as Tokens.Link | Tokens.Image;
        t.href = absolutise(t.href, base);
      }
    },
  });
}

export interface RenderedBody {
  html: string;
  /** Plain text of the first paragraph: the default summary. */
  firstParagraph: string;
  /** Plain text of the first block that has any (heading, list item, quote…): the summary when there is no paragraph. */
  firstText: string;
}

/** Plain text of inline tokens: what a reader would see, without markup. */
function inlineText(tokens: Token[] | undefined): string {
  let out = "";
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "html":
        break;
      case "br":
        out += " ";
        break;
      case "image":
        out += (token as Tokens.Image).text;
        break;
      case "codespan":
        out += (token as Tokens.Codespan).text;
        break;
      default: {
        const t = token as Tokens.Generic;
        out += t.tokens ? inlineText(t.tokens) : decodeEntities(String(t.text ?? ""));
      }
    }
  }
  return out;
}

/** Plain text as a summary: references such as "&#1;" decode to characters the text hygiene removes, so it is applied again. */
function summaryText(tokens: Token[] | undefined): string {
  return collapseWhitespace(stripForbiddenXmlChars(inlineText(tokens)));
}

/** Depth first: the first paragraph, heading or text block whose plain text is not empty. */
function firstTextOf(tokens: Token[]): string {
  for (const token of tokens) {
    if (token.type === "paragraph" || token.type === "heading" || token.type === "text") {
      const text = summaryText((token as Tokens.Generic).tokens ?? [token]);
      if (text) return text;
    }
    const nested = (token as Tokens.Generic).tokens ?? (token as Tokens.List).items;
    if (Array.isArray(nested) && token.type !== "paragraph" && token.type !== "heading") {
      const text = firstTextOf(nested as Token[]);
      if (text) return text;
    }
  }
  return "";
}

const cache = new WeakMap<Article, RenderedBody>();

/**
 * Markdown body → sanitized HTML with absolute URLs, memoised per article
 * object. The single place article HTML is made: feeds and pages only ever
 * see what sanitizeHtml let through (no script, handlers, forms, frames,
 * styles; http(s)/mailto links only).
 */
export function renderBody(article: Article): RenderedBody {
  const hit = cache.get(article);
  if (hit) return hit;
  const marked = markedFor(article.url);
  const tokens = marked.lexer(article.body);
  marked.walkTokens(tokens, (t) => marked.defaults.walkTokens?.(t));
  const paragraph = tokens.find((t): t is Tokens.Paragraph => t.type === "paragraph");
  const html = sanitizeHtml(marked.parser(tokens), article.url).trim();
  const rendered = { html, firstParagraph: summaryText(paragraph?.tokens), firstText: firstTextOf(tokens) };
  cache.set(article, rendered);
  return rendered;
}

/**
 * The summary a feed shows: the record's, else the body's first paragraph as
 * text, else its first text of any kind, else the title. Never empty: RSS
 * wants a description before content:encoded, and an Atom entry whose body
 * sanitizes to nothing needs a summary.
 */
export function summaryOf(article: Article): string {
  if (article.summary) return article.summary;
  const body = renderBody(article);
  return body.firstParagraph || body.firstText || article.title;
}
