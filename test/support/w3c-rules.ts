/**
 * The W3C Feed Validation Service's rules that can fire on what we publish,
 * encoded as checks (the service itself needs the network and Python 2-era
 * code; these are its documented conditions, reimplemented). Each finding is
 * "<Class>: detail"; a clean feed has none. Severity: only the service's
 * errors and warnings are checked (its "info" messages never show).
 */
import { parseFragment } from "parse5";
import { children, parseXml, type XmlElement } from "./xml.js";

const ATOM = "http://www.w3.org/2005/Atom";
const KNOWN_NAMESPACES = new Set([
  ATOM,
  "http://purl.org/dc/elements/1.1/",
  "http://purl.org/dc/terms/",
  "http://purl.org/rss/1.0/modules/content/",
  "http://search.yahoo.com/mrss/",
  "http://purl.org/syndication/history/1.0",
  "http://www.w3.org/XML/1998/namespace",
]);

/** HTML the validator accepts in descriptions and content (a subset of its allow-list: what Markdown produces). */
const ACCEPTABLE_ELEMENTS = new Set(
  "a abbr b blockquote br code del div em figure figcaption h1 h2 h3 h4 h5 h6 hr i img input ins kbd li ol p pre q s small span strong sub sup table tbody td tfoot th thead time tr u ul".split(" "),
);
const ACCEPTABLE_ATTRIBUTES = new Set("href src alt title class id lang dir width height align start type checked disabled datetime cite colspan rowspan scope loading".split(" "));
const VOID = new Set("br hr img input wbr".split(" "));
const IMPLIED_END = new Set("p li dt dd td th tr option".split(" "));
/** HTML entity names that make the validator suspect markup in plain text (a sample of name2codepoint plus apos). */
const ENTITY_NAMES = new Set("amp lt gt quot apos nbsp copy reg mdash ndash hellip laquo raquo".split(" "));
const HTML_TAGS = new Set([...ACCEPTABLE_ELEMENTS, "script", "style", "iframe", "object", "embed", "html", "body", "head", "title", "form", "video", "audio"]);

const RFC2822 = /^((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d(:\d\d)? ([+-]?\d\d[03]0|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*)?(Z|[+-]\d\d:\d\d)$/;
const TAG_URI = /^tag:([a-z0-9\-._]+?@)?[a-z0-9.-]+?,\d{4}(-\d{2}(-\d{2})?)?:[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*(#[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*)?$/;
const FULL_URI = /^[a-zA-Z][0-9a-zA-Z+\-.]*:(\/\/)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+$/;
const HTTP_URL = /^(http|https):\/\/(([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([A-Z0-9-]+\.)+))([A-Z0-9][-A-Z0-9]*)(:\d+)?(\/|$)/i;
const MIME = /^[^\s()<>,;:\\"/[\]?=]+\/[^\s()<>,;:\\"/[\]?=]+(\s*;\s*[^\s()<>,;:\\"/[\]?=]+=("(\\"|[^"])*"|[^\s()<>,;:\\"/[\]?=]+))*$/;

type Findings = string[];

/** Channel elements the validator wants before the first item (extensions may follow items). */
const CORE_CHANNEL = new Set(
  "title link description language copyright lastBuildDate pubDate ttl docs generator category cloud image textInput managingEditor webMaster skipHours skipDays".split(" "),
);

/** Plain-text elements (`nonhtml`): markup-looking text is flagged unless written with &#x references. */
function checkPlainText(f: Findings, where: string, value: string, rawSource: string, rss: boolean): void {
  const endTags = [...value.matchAll(/<\/(\w+)>/g)].map((m) => m[1]!.toLowerCase()).filter((t) => HTML_TAGS.has(t));
  if (endTags.length) {
    f.push(`ContainsHTML: ${where} contains </${endTags[0]}>`);
    return;
  }
  const exempt = rawSource.includes("&#x");
  const entities = [...value.matchAll(/&(#?\w+)/g)].map((m) => m[1]!);
  if (entities.length) {
    if (!exempt && entities.some((e) => ENTITY_NAMES.has(e) || !/^[A-Za-z]+$/.test(e))) f.push(`ContainsHTML: ${where} has an entity-like "&"`);
    return;
  }
  if (rss && !exempt && /&#[x0-9]|<[/a-zA-Z]/.test(value)) f.push(`CharacterData: ${where} looks like markup`);
}

/** HTML content (`safeHtml`): must parse as HTML without errors, with safe tags and attributes. */
export function checkHtml(f: Findings, where: string, html: string, requireAbsolute: boolean): void {
  const errors: string[] = [];
  parseFragment(html, { onParseError: (e) => errors.push(e.code) });
  if (errors.length) f.push(`NotHtml: ${where}: ${errors[0]}`);
  if (/&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#x[0-9a-fA-F]+;)(?=[a-zA-Z#])/.test(html)) f.push(`NotHtml: ${where}: named entity expected`);
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const [, close, rawName, attrs = "", selfClose] = m;
    const name = rawName!.toLowerCase();
    if (!close) {
      if (!ACCEPTABLE_ELEMENTS.has(name)) f.push(`SecurityRisk: ${where}: <${name}>`);
      for (const a of attrs.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
        const attr = a[1]!.toLowerCase();
        if (attr === "style") f.push(`DangerousStyleAttr: ${where}`);
        else if (!ACCEPTABLE_ATTRIBUTES.has(attr) && !attr.startsWith("data-")) f.push(`SecurityRiskAttr: ${where}: ${attr}`);
        if (requireAbsolute && (attr === "href" || attr === "src") && !/^\w+:/.test(a[2] ?? "")) f.push(`ContainsRelRef: ${where}: ${a[2]}`);
      }
      if (selfClose && !VOID.has(name)) f.push(`NotHtml: ${where}: <${name}/>`);
      if (!VOID.has(name)) {
        if (IMPLIED_END.has(name) && stack.at(-1) === name) stack.pop();
        stack.push(name);
      }
    } else {
      while (stack.length && stack.at(-1) !== name && IMPLIED_END.has(stack.at(-1)!)) stack.pop();
      if (stack.at(-1) !== name) f.push(`NotHtml: ${where}: stray or misnested </${name}>`);
      else stack.pop();
    }
  }
  const unclosed = stack.filter((t) => !IMPLIED_END.has(t));
  if (unclosed.length) f.push(`NotHtml: ${where}: unclosed <${unclosed[0]}>`);
}

function dateNotFuture(f: Findings, where: string, ms: number, now: number, slack: number): void {
  if (Number.isNaN(ms)) f.push(`InvalidDate: ${where}`);
  else if (ms > now + slack) f.push(`ImplausibleDate: ${where} is in the future`);
  else if (new Date(ms).getUTCFullYear() < 1990) f.push(`ImplausibleDate: ${where} before 1990`);
}

function checkNamespaces(f: Findings, xml: string): void {
  for (const m of xml.matchAll(/xmlns(?::(\w+))?="([^"]*)"/g)) {
    const [, prefix, uri] = m;
    if (uri === ATOM && prefix && prefix !== "atom") f.push(`AvoidNamespacePrefix: ${prefix}`);
    if (!KNOWN_NAMESPACES.has(uri!) && !(prefix === undefined && uri === ATOM)) f.push(`UnknownNamespace: ${uri}`);
  }
}

/** Every W3C error or warning our RSS 2.0 document would get when fetched from `location`. */
export function checkRss(xml: string, location: string, now = Date.now()): Findings {
  const f: Findings = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')) f.push("MissingEncoding/BadXmlVersion: declaration");
  if (/[\u0080-\u009F\uFFFD]/.test(xml)) f.push("BadCharacters");
  checkNamespaces(f, xml);
  const rss = parseXml(xml);
  const channel = children(rss, "channel")[0]!;
  const lines = xml.split("\n");
  const source = (el: XmlElement) => lines.slice(el.line - 1, el.endLine).join("\n");
  let seenItem = false;
  const guids = new Set<string>();
  for (const el of channel.children) {
    if (el.name === "item") {
      seenItem = true;
      continue;
    }
    if (seenItem && (CORE_CHANNEL.has(el.name) || el.name === "atom:link")) f.push(`MisplacedItem: <${el.name}> after items`);
  }
  for (const name of ["title", "link", "description"]) if (children(channel, name).length !== 1) f.push(`MissingElement/DuplicateElement: channel ${name}`);
  for (const name of ["title", "description", "copyright"]) for (const el of children(channel, name)) checkPlainText(f, `channel ${name}`, el.text, source(el), true);
  for (const el of children(channel, "link")) if (!FULL_URI.test(el.text)) f.push(`InvalidFullLink: channel link ${el.text}`);
  for (const el of [...children(channel, "lastBuildDate"), ...children(channel, "pubDate")]) {
    if (!RFC2822.test(el.text)) f.push(`InvalidRFC2822Date: ${el.text}`);
    else dateNotFuture(f, el.name, Date.parse(el.text), now, 600_000);
  }
  for (const el of children(channel, "ttl")) if (!/^[1-9]\d*$/.test(el.text)) f.push("InvalidPositiveInteger: ttl");
  for (const el of children(channel, "language")) if (!/^[a-z]{2,3}$/i.test(el.text.split("-")[0]!)) f.push(`InvalidLanguage: ${el.text}`);
  const self = children(channel, "atom:link").filter((l) => l.attrs.rel === "self");
  if (self.length === 0) f.push("MissingAtomSelfLink");
  for (const l of self) if (l.attrs.href !== location) f.push(`SelfDoesntMatchLocation: ${l.attrs.href} != ${location}`);
  for (const item of children(channel, "item")) {
    const title = children(item, "title")[0];
    const id = children(item, "guid")[0]?.text ?? "(no guid)";
    if (!title && !children(item, "description").length) f.push("ItemMustContainTitleOrDescription");
    if (title) {
      if (title.text === "") f.push(`NotBlank: title of ${id}`);
      checkPlainText(f, `title of ${id}`, title.text, source(title), true);
    }
    const guid = children(item, "guid")[0];
    if (!guid) f.push("MissingGuid");
    else {
      if (guid.attrs.isPermaLink !== "false") f.push(`InvalidPermalink: ${guid.text}`);
      if (guids.has(guid.text)) f.push(`DuplicateValue: guid ${guid.text}`);
      guids.add(guid.text);
    }
    for (const el of children(item, "link")) if (!FULL_URI.test(el.text)) f.push(`InvalidFullLink: ${el.text}`);
    for (const el of children(item, "pubDate")) {
      if (!RFC2822.test(el.text)) f.push(`InvalidRFC2822Date: ${el.text}`);
      else dateNotFuture(f, `pubDate of ${id}`, Date.parse(el.text), now, 600_000);
    }
    if (children(item, "author").length) f.push(`InvalidContact: <author> in ${id} (use dc:creator)`);
    const names = item.children.map((c) => c.name);
    if (names.includes("content:encoded") && !(names.indexOf("description") >= 0 && names.indexOf("description") < names.indexOf("content:encoded"))) {
      f.push(`NeedDescriptionBeforeContent: ${id}`);
    }
    for (const name of ["title", "link", "description", "content:encoded", "pubDate", "guid"]) if (children(item, name).length > 1) f.push(`DuplicateElement: ${name} in ${id}`);
    for (const el of [...children(item, "description"), ...children(item, "content:encoded")]) checkHtml(f, `${el.name} of ${id}`, el.text, true);
    for (const el of children(item, "category")) {
      if (el.text === "") f.push("NotBlank: category");
      checkPlainText(f, `category of ${id}`, el.text, source(el), true);
    }
    const enclosures = children(item, "enclosure");
    if (enclosures.length > 1) f.push(`DuplicateEnclosure: ${id}`);
    for (const e of enclosures) {
      if (Object.keys(e.attrs).some((a) => !["url", "length", "type"].includes(a))) f.push(`UnexpectedAttribute: enclosure in ${id}`);
      if (!HTTP_URL.test(e.attrs.url ?? "") || !FULL_URI.test(e.attrs.url ?? "")) f.push(`InvalidURLAttribute: ${e.attrs.url}`);
      if (!MIME.test(e.attrs.type ?? "")) f.push(`InvalidMIMEAttribute: ${e.attrs.type}`);
      if (!/^\d+$/.test(e.attrs.length ?? "")) f.push(`InvalidIntegerAttribute: length ${e.attrs.length}`);
    }
  }
  return f;
}

/** Every W3C error or warning our Atom 1.0 document would get when fetched from `location`. */
export function checkAtom(xml: string, location: string, now = Date.now()): Findings {
  const f: Findings = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')) f.push("MissingEncoding/BadXmlVersion: declaration");
  if (/[\u0080-\u009F\uFFFD]/.test(xml)) f.push("BadCharacters");
  checkNamespaces(f, xml);
  const feed = parseXml(xml);
  const lines = xml.split("\n");
  const source = (el: XmlElement) => lines.slice(el.line - 1, el.endLine).join("\n");
  if (feed.uri !== ATOM || feed.local !== "feed") f.push("InvalidNamespace: root");
  const lang = feed.attrs["xml:lang"];
  if (lang !== undefined && !/^[a-z]{2,3}$/i.test(lang.split("-")[0]!)) f.push(`InvalidLanguage: ${lang}`);
  let seenEntry = false;
  for (const el of feed.children) {
    if (el.name === "entry") seenEntry = true;
    else if (seenEntry) f.push(`MisplacedMetadata: <${el.name}> after entries`);
  }
  const canonical = (where: string, id: string) => {
    if (id !== id.trim()) f.push(`UnexpectedWhitespace: ${where}`);
    if (id.startsWith("tag:")) {
      if (!TAG_URI.test(id)) f.push(`InvalidTAG: ${id}`);
    } else if (!FULL_URI.test(id)) f.push(`InvalidFullLink: ${id}`);
    else if (/^https?:\/\/[^/]+$/.test(id) || /%([0-9a-f][a-f]|[a-f][0-9])/.test(id)) f.push(`NonCanonicalURI: ${id}`);
  };
  for (const name of ["id", "title", "updated"]) if (children(feed, name).length !== 1) f.push(`MissingElement/DuplicateElement: feed ${name}`);
  for (const el of children(feed, "id")) canonical("feed id", el.text);
  for (const el of children(feed, "updated")) {
    if (!RFC3339.test(el.text)) f.push(`InvalidRFC3339Date: ${el.text}`);
    else dateNotFuture(f, "feed updated", Date.parse(el.text), now, 86_400_000);
  }
  for (const name of ["title", "subtitle", "rights"]) for (const el of children(feed, name)) checkPlainText(f, `feed ${name}`, el.text, source(el), false);
  const self = children(feed, "link").filter((l) => l.attrs.rel === "self");
  if (self.length !== 1) f.push("MissingSelf");
  for (const l of self) {
    if (l.attrs.href !== location) f.push(`SelfDoesntMatchLocation: ${l.attrs.href} != ${location}`);
    if (l.attrs.type && l.attrs.type !== "application/atom+xml") f.push("SelfNotAtom");
  }
  const feedHasAuthor = children(feed, "author").length > 0;
  const ids = new Set<string>();
  const updatedValues = new Set<string>();
  for (const entry of children(feed, "entry")) {
    const id = children(entry, "id")[0]?.text ?? "(no id)";
    for (const name of ["id", "title", "updated"]) if (children(entry, name).length !== 1) f.push(`MissingElement/DuplicateElement: ${name} in ${id}`);
    canonical(`entry id`, id);
    if (ids.has(id)) f.push(`DuplicateEntries: ${id}`);
    ids.add(id);
    for (const el of [...children(entry, "updated"), ...children(entry, "published")]) {
      if (!RFC3339.test(el.text)) f.push(`InvalidRFC3339Date: ${el.text}`);
      else dateNotFuture(f, `${el.name} of ${id}`, Date.parse(el.text), now, 86_400_000);
    }
    const updated = children(entry, "updated")[0]?.text ?? "";
    if (updatedValues.has(updated)) f.push(`DuplicateUpdated: ${updated}`);
    updatedValues.add(updated);
    if (!feedHasAuthor && !children(entry, "author").length) f.push(`MissingAuthor: ${id}`);
    for (const name of children(entry, "author").flatMap((a) => children(a, "name"))) checkPlainText(f, `author name in ${id}`, name.text, source(name), false);
    for (const el of [...children(entry, "title"), ...children(entry, "summary"), ...children(entry, "content")]) {
      if (el.attrs.type === "html") checkHtml(f, `${el.name} of ${id}`, el.text, false);
      else if (el.attrs.type === undefined || el.attrs.type === "text") checkPlainText(f, `${el.name} of ${id}`, el.text, source(el), false);
    }
    if (!children(entry, "content").length && !children(entry, "link").some((l) => (l.attrs.rel ?? "alternate") === "alternate")) f.push(`MissingContentOrAlternate: ${id}`);
    if (!children(entry, "summary").length && !children(entry, "content").length) f.push(`MissingSummary: ${id}`);
    for (const c of children(entry, "category")) if (!c.attrs.term) f.push(`MissingAttribute: category term in ${id}`);
    for (const l of children(entry, "link")) {
      if (l.attrs.type !== undefined && !MIME.test(l.attrs.type)) f.push(`InvalidMIMEType: ${l.attrs.type}`);
      if (l.attrs.length !== undefined && !/^\d+$/.test(l.attrs.length)) f.push(`InvalidNonNegativeInteger: link length`);
    }
    const alternates = children(entry, "link").filter((l) => (l.attrs.rel ?? "alternate") === "alternate");
    if (new Set(alternates.map((l) => `${l.attrs.type}|${l.attrs.hreflang}`)).size !== alternates.length) f.push(`DuplicateAtomLink: ${id}`);
  }
  return f;
}
