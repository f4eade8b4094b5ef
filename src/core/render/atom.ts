import type { Article } from "../article.js";
import type { FeedModel } from "../feed-model.js";
import { escapeHtml } from "../text.js";
import { buildFeed } from "./build-feed.js";
import { ampEscapedAttribute, cdata, escapeXml, finishXml, rssPlainText } from "./xml-guards.js";

const ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';
/** Per-entry slot: `feed` prints item.copyright as <rights>; we replace that element with our own XML. */
const SLOT = /\n( *)<rights>\uFFFE(\d+)\uFFFE<\/rights>/g;

/** Elements `feed` cannot write correctly for an entry (it guesses enclosure types from file extensions). */
function entryExtras(article: Article, indent: string): string {
  return article.enclosures
    .map((e) => `\n${indent}<link rel="enclosure" href="${escapeXml(e.url)}" type="${escapeXml(e.type)}" length="${e.length}"/>`)
    .join("");
}

/**
 * Atom 1.0. Titles are type="html", so the plain headline is HTML-escaped:
 * "AT&T <b>" then shows in a reader exactly as written.
 */
export function renderAtom(model: FeedModel): string {
  // Plain text (feed title, subtitle, rights, author names) is written like RSS's, with &#x26;/&#x3C;
  // references: a literal "&amp;" in a name is then not taken for an entity by the validator.
  const feed = buildFeed(model, "xml", rssPlainText, (article, i) => ({
    title: cdata(escapeHtml(article.title)),
    author: article.authors.map((a) => ({
      name: rssPlainText(a.name),
      ...(a.email ? { email: rssPlainText(a.email) } : {}),
      ...(a.url ? { link: a.url } : {}),
    })),
    // `feed` would print a category without `term` (invalid Atom) given only a name.
    category: article.categories.map((name) => ({ term: ampEscapedAttribute(name) })),
    copyright: `\uFFFE${i}\uFFFE`,
  }));
  let xml = feed.atom1();
  if (!xml.includes(ROOT)) throw new Error("atom: unexpected root element from feed");
  xml = xml.replace(ROOT, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(model.language)}">`);
  xml = xml.replace(SLOT, (_m, indent: string, index: string) => entryExtras(model.articles[Number(index)]!, indent));
  return finishXml(xml) + "\n";
}
