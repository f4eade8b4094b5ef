import type { Article } from "../article.js";
import type { FeedModel } from "../feed-model.js";
import type { Tombstone } from "../tombstone.js";
import { escapeHtml } from "../text.js";
import { buildFeed, creditElements } from "./build-feed.js";
import { declareNamespaces } from "./namespaces.js";
import { ampEscapedAttribute, cdata, escapeXml, finishXml, rssPlainText } from "./xml-guards.js";

const ROOT = '<feed xmlns="http://www.w3.org/2005/Atom"';
const ATOM_TYPE = "application/atom+xml";
/** Per-entry slot: `feed` prints item.copyright as <rights>; we replace that element with our own XML. */
const SLOT = /\n( *)<rights>\uFFFE(\d+)\uFFFE<\/rights>/g;
/** Per-entry marker at the start of the title, to put xml:lang on <entry> where an article's language differs. */
const LANG_MARK = /<entry>(\s*<title type="html"><!\[CDATA\[)\uFFFE(\d+)\uFFFE/g;

function link(rel: string, href: string, type?: string, length?: number): string {
  return `<link rel="${rel}" href="${escapeXml(href)}"${type ? ` type="${escapeXml(type)}"` : ""}${length !== undefined ? ` length="${length}"` : ""}/>`;
}

/** Elements `feed` cannot write correctly for an entry (it guesses enclosure types from file extensions). */
function entryExtras(article: Article, indent: string): string {
  const media = [
    ...article.enclosures.map((e) => link("enclosure", e.url, e.type, e.length)),
    ...(article.image ? [link("enclosure", article.image.url, article.image.type, article.image.length)] : []),
  ];
  const credit = creditElements(article).map(([name, value]) => `<${name}>${rssPlainText(value)}</${name}>`);
  return [...media, ...credit].map((m) => `\n${indent}${m}`).join("");
}

/** Feed-level RFC 5005 links and markers, written right after the self link. */
function historyXml(model: FeedModel, indent: string): string {
  const h = model.history;
  const parts = [
    ...(h.current ? [link("current", h.current.atom, ATOM_TYPE)] : []),
    ...(h.prevArchive ? [link("prev-archive", h.prevArchive.atom, ATOM_TYPE)] : []),
    ...(h.complete ? ["<fh:complete/>"] : []),
    ...(h.archive ? ["<fh:archive/>"] : []),
  ];
  return parts.map((p) => `\n${indent}${p}`).join("");
}

/**
 * Atom 1.0. Titles are type="html", so the plain headline is HTML-escaped:
 * "AT&T <b>" then shows in a reader exactly as written.
 */
/** The rest of an at:deleted-entry: its reason as RFC 6721's at:comment (in the article's language), or the empty element's end. */
function deletedEntryBody(t: Tombstone): string {
  if (t.reason === undefined) return "/>";
  const lang = t.language ? ` xml:lang="${escapeXml(t.language)}"` : "";
  return `><at:comment${lang}>${escapeXml(t.reason)}</at:comment></at:deleted-entry>`;
}

export function renderAtom(model: FeedModel): string {
  // Plain text (feed title, subtitle, rights, author names) is written like RSS's, with &#x26;/&#x3C;
  // references: a literal "&amp;" in a name is then not taken for an entity by the validator.
  const feed = buildFeed(model, "xml", rssPlainText, (article, i) => ({
    title: `\uFFFE${i}\uFFFE${cdata(escapeHtml(article.title))}`,
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
  const history = model.history;
  const needsFh = !!(history.complete || history.archive);
  const credits = model.articles.some((a) => a.source || a.dateline) ? (["dc", "dcterms"] as const) : [];
  xml = declareNamespaces(xml, ROOT, [...(needsFh ? (["fh"] as const) : []), ...(model.deleted.length ? (["at"] as const) : []), ...credits]);
  xml = xml.replace(ROOT, `${ROOT} xml:lang="${escapeXml(model.language)}"`);
  const self = `<link rel="self" href="${model.selfUrls.atom}"/>`;
  const selfAt = xml.indexOf(self);
  if (selfAt === -1) throw new Error("atom: no self link from feed");
  const indent = /( *)$/.exec(xml.slice(0, selfAt))![1]!;
  xml = xml.slice(0, selfAt + self.length) + historyXml(model, indent) + xml.slice(selfAt + self.length);
  xml = xml.replace(LANG_MARK, (_m, between: string, index: string) => {
    const lang = model.articles[Number(index)]!.language;
    return lang === model.language ? `<entry>${between}` : `<entry xml:lang="${escapeXml(lang)}">${between}`;
  });
  xml = xml.replace(SLOT, (_m, indent: string, index: string) => entryExtras(model.articles[Number(index)]!, indent));
  if (model.deleted.length) {
    // RFC 6721 tombstones are children of the feed. They go before the first entry: RFC 4287's schema
    // allows extension elements among the feed's metadata, not after its entries. The first "<entry"
    // at a line's start is the first entry (metadata text is escaped); without entries, the root's end tag.
    const first = /\n *<entry[\s>]/.exec(xml);
    const at = first ? first.index + 1 : xml.lastIndexOf("</feed>");
    const tombstones = model.deleted.map((t) => `    <at:deleted-entry ref="${escapeXml(t.id)}" when="${t.when.toISOString()}"${deletedEntryBody(t)}\n`).join("");
    xml = xml.slice(0, at) + tombstones + xml.slice(at);
  }
  return finishXml(xml) + "\n";
}
