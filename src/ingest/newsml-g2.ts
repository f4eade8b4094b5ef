/**
 * IPTC NewsML-G2 <newsItem> (or a <newsMessage> carrying one) → ImportedStory.
 * Read: itemMeta (itemClass, pubStatus, embargoed, versionCreated,
 * firstCreated), contentMeta (headline, dateline, located, creator/by,
 * infoSource, language, subject, contentCreated, slugline) and the body from
 * contentSet: <inlineXML> with XHTML or NITF, or <inlineData> with plain
 * text. Every problem names the element and its line.
 */
import { parseRecordDate } from "../core/dates.js";
import { RecordError } from "../core/errors.js";
import { quoteForMessage } from "../core/text.js";
import type { BodySource, ImportedStory, PubStatus, StoryParse } from "./imported-story.js";
import { nitfToHtml, xhtmlToHtml } from "./markup.js";
import { creditName, dateProblem, distinct, idFromUri, languageProblem, lineText, pubStatusOf } from "./shared.js";
import { childElements, firstChild, isElement, parseXml, textOf, type XmlElement } from "./xml-tree.js";

export const NAR_NS = "http://iptc.org/std/nar/2006-10-01/";
const MAX_CATEGORIES = 100;
const XHTML_TYPES = new Set(["application/xhtml+xml", "text/html", "text/xhtml"]);
const NITF_TYPES = new Set(["application/nitf+xml", "text/vnd.iptc.nitf", "application/vnd.iptc.nitf+xml"]);

/** "newsItem/contentMeta/headline": where an element sits, for messages. */
type Located = { el: XmlElement; path: string };

function child(parent: Located | undefined, name: string): Located | undefined {
  const el = parent && firstChild(parent.el, name);
  return el ? { el, path: `${parent.path}/${name}` } : undefined;
}

function children(parent: Located | undefined, name: string): Located[] {
  return parent ? childElements(parent.el, name).map((el) => ({ el, path: `${parent.path}/${name}` })) : [];
}

/** The <name> child to show: one in the item's language, else one without a language, else the first. */
function nameOf(el: XmlElement, language: string | undefined): string | undefined {
  const names = childElements(el, "name");
  const pick =
    names.find((n) => language !== undefined && n.attrs["xml:lang"]?.toLowerCase() === language.toLowerCase()) ??
    names.find((n) => n.attrs["xml:lang"] === undefined) ??
    names[0];
  const text = pick ? lineText(textOf(pick)) : "";
  return text === "" ? undefined : text;
}

export function parseNewsmlG2(file: string, text: string, timeZone: string): StoryParse {
  const notes: string[] = [];
  const fail = (at: Located, problem: string): never => {
    throw new RecordError(file, at.path, problem, at.el.line);
  };
  try {
    const doc = parseXml(file, text);
    let root: Located = { el: doc, path: doc.name };
    if (doc.name === "NewsML") fail(root, "is NewsML 1.x (root <NewsML>); only NewsML-G2 <newsItem> documents are read");
    if (doc.name !== "newsItem" && doc.name !== "newsMessage") {
      fail(root, `is a <${doc.name}>; only a <newsItem> (or a <newsMessage> with one) is a story`);
    }
    if (doc.ns !== NAR_NS) fail(root, `<${doc.name}> is not in the NewsML-G2 namespace ${NAR_NS}`);
    if (doc.name === "newsMessage") {
      const items = children(child(root, "itemSet"), "newsItem");
      if (items.length !== 1) fail(root, `carries ${items.length} newsItems; import takes a message with exactly one`);
      root = { el: items[0]!.el, path: "newsMessage/itemSet/newsItem" };
    }

    const itemMeta = child(root, "itemMeta") ?? fail(root, "has no <itemMeta>");
    const contentMeta = child(root, "contentMeta") ?? fail(root, "has no <contentMeta>");

    const itemClass = child(itemMeta, "itemClass");
    const klass = itemClass?.el.attrs.qcode ?? itemClass?.el.attrs.uri;
    if (itemClass && klass !== undefined && !/(?:^|[:/])(?:text|composite)$/.test(klass)) {
      fail(itemClass, `is ${quoteForMessage(klass)}: only text items (ninat:text) become records`);
    }

    const statusEl = child(itemMeta, "pubStatus");
    let status: PubStatus = "usable";
    if (statusEl) {
      const code = statusEl.el.attrs.qcode ?? statusEl.el.attrs.uri ?? "";
      status = pubStatusOf(code) ?? fail(statusEl, `${quoteForMessage(code)} is not a publication status (stat:usable, stat:withheld or stat:canceled)`);
    }

    const dateOf = (at: Located | undefined) => {
      if (!at) return undefined;
      const value = lineText(textOf(at.el));
      const problem = dateProblem(value, timeZone);
      if (problem) fail(at, problem);
      return { text: value, at };
    };
    const first = dateOf(child(itemMeta, "firstCreated"));
    const version = dateOf(child(itemMeta, "versionCreated"));
    const content = dateOf(child(contentMeta, "contentCreated"));
    const published = first ?? content ?? version ?? fail(root, "has no date (itemMeta/firstCreated, contentMeta/contentCreated or itemMeta/versionCreated)");
    const later = version && version !== published && +(parseRecordDate(version.text, timeZone) as Date) > +(parseRecordDate(published.text, timeZone) as Date);
    const embargo = dateOf(child(itemMeta, "embargoed"));

    const languageEl = child(contentMeta, "language");
    const language = languageEl?.el.attrs.tag ?? root.el.attrs["xml:lang"];
    if (language !== undefined) {
      const problem = languageProblem(language);
      if (problem) fail(languageEl ?? root, problem);
    }

    const body = bodyOf(file, root, notes, fail);

    const headlines = children(contentMeta, "headline");
    const mainHeadline = headlines.find((h) => h.el.attrs.role === undefined || /main$/.test(h.el.attrs.role)) ?? headlines[0];
    let title = mainHeadline ? lineText(textOf(mainHeadline.el)) : "";
    if (mainHeadline && title === "") fail(mainHeadline, "is empty");
    if (!mainHeadline) {
      title = lineText(body.headline ?? fail(contentMeta, "has no <headline>"));
      notes.push("headline taken from the NITF <hl1> (contentMeta has no <headline>)");
    }

    const located = child(contentMeta, "located");
    let dateline = located ? nameOf(located.el, language) : undefined;
    const datelineEl = child(contentMeta, "dateline");
    if (dateline === undefined && datelineEl) {
      // "MOSCOW, Monday (Reuters)": the place is what comes before the date or the agency.
      const place = lineText(textOf(datelineEl.el)).split(/[,(]/)[0]!.trim();
      if (place !== "") {
        dateline = place;
        notes.push(`line ${datelineEl.el.line}: dateline place "${place}" taken from <dateline> (no <located> name)`);
      }
    }

    const by = child(contentMeta, "by");
    const authors = by ? [creditName(textOf(by.el))] : children(contentMeta, "creator").flatMap((c) => nameOf(c.el, language) ?? []);
    const source = children(contentMeta, "infoSource").map((s) => nameOf(s.el, language)).find((n) => n !== undefined);

    const subjects = children(contentMeta, "subject");
    let categories = distinct(subjects.flatMap((s) => nameOf(s.el, language) ?? []));
    if (categories.length > MAX_CATEGORIES) {
      notes.push(`kept the first ${MAX_CATEGORIES} of ${categories.length} subject names (a record has at most ${MAX_CATEGORIES} categories)`);
      categories = categories.slice(0, MAX_CATEGORIES);
    }

    const slugEl = child(contentMeta, "slugline");
    const slugline = slugEl ? lineText(textOf(slugEl.el)) : "";
    const { id, note } = idFromUri(root.el.attrs.guid, `${root.path}@guid`);
    if (note) notes.push(note);

    const story: ImportedStory = {
      format: "NewsML-G2",
      title,
      published: published.text,
      ...(later ? { updated: version.text } : {}),
      ...(dateline ? { dateline } : {}),
      ...(source ? { source } : {}),
      authors: distinct(authors),
      categories,
      ...(language !== undefined ? { language } : {}),
      ...(id ? { id } : {}),
      ...(slugline !== "" ? { slugline } : {}),
      body: { kind: body.kind, value: body.value, field: body.field, line: body.line },
      status,
      statusOrigin: statusEl ? { field: statusEl.path, line: statusEl.el.line } : { field: `${itemMeta.path}/pubStatus` },
      ...(embargo ? { embargo: { until: embargo.text, field: embargo.at.path, line: embargo.at.el.line } } : {}),
      notes,
    };
    return { ok: true, story };
  } catch (error) {
    if (error instanceof RecordError) return { ok: false, error };
    throw error;
  }
}

/** The body: XHTML first, NITF next, plain text last (the order that keeps the most structure). */
function bodyOf(
  file: string,
  root: Located,
  notes: string[],
  fail: (at: Located, problem: string) => never,
): BodySource & { headline?: string } {
  const contentSet = child(root, "contentSet") ?? fail(root, "has no <contentSet> (no body)");
  const found: (BodySource & { headline?: string; rank: number })[] = [];
  for (const at of [...children(contentSet, "inlineXML"), ...children(contentSet, "inlineData")]) {
    const type = (at.el.attrs.contenttype ?? "").toLowerCase().split(";")[0]!.trim();
    const elements = at.el.children.filter(isElement);
    const base = { field: at.path, line: at.el.line };
    if (at.el.name === "inlineData") {
      if (type === "" || type === "text/plain") found.push({ kind: "text", value: textOf(at.el), ...base, rank: 2 });
      else notes.push(`line ${at.el.line}: <inlineData> of type ${quoteForMessage(type)} skipped (only text/plain is read)`);
      continue;
    }
    const nitf = elements.find((e) => e.name === "nitf");
    if (NITF_TYPES.has(type) || (type === "" && nitf)) {
      if (!nitf) fail(at, `is ${type} but holds no <nitf> element`);
      const { html, dropped, headline } = nitfToHtml(nitf!);
      if (dropped) notes.push(`line ${at.el.line}: left out ${dropped} NITF <media> element${dropped === 1 ? "" : "s"} (pictures are not carried)`);
      found.push({ kind: "html", value: html, ...base, ...(headline ? { headline } : {}), rank: 1 });
    } else if (XHTML_TYPES.has(type) || type === "") {
      found.push({ kind: "html", value: xhtmlToHtml(at.el.children), ...base, rank: 0 });
    } else {
      notes.push(`line ${at.el.line}: <inlineXML> of type ${quoteForMessage(type)} skipped (not XHTML or NITF)`);
    }
  }
  if (found.length === 0) {
    const remote = child(contentSet, "remoteContent");
    fail(contentSet, remote ? "has only <remoteContent>: the text is elsewhere, not in the document" : "has no <inlineXML> or <inlineData> body");
  }
  const { rank: _rank, ...chosen } = found.reduce((best, c) => (c.rank < best.rank ? c : best));
  return chosen;
}
