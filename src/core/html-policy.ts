/**
 * What article HTML may hold, and how it is written out: the allow-list of
 * elements and attributes, the URL policy (http/https/mailto links,
 * http/https images and citations, resolved to absolute), and the escaping.
 * Shared by the two writers of article HTML: sanitize.ts (any HTML, through
 * a browser's parse) and marked-html.ts (marked's own output, read directly),
 * so both apply the same rules.
 */
import { stripForbiddenXmlChars } from "./text.js";

export interface Attribute {
  name: string;
  value: string;
}

/** Elements and their attributes: what Markdown produces, within the W3C feed validator's acceptable HTML. */
export const ALLOWED: Record<string, readonly string[]> = {
  a: ["href", "title"],
  abbr: ["title"],
  b: [],
  blockquote: ["cite"],
  br: [],
  code: ["class"],
  del: ["cite", "datetime"],
  div: [],
  em: [],
  figcaption: [],
  figure: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  img: ["src", "alt", "title", "width", "height"],
  ins: ["cite", "datetime"],
  kbd: [],
  li: [],
  ol: ["start"],
  p: [],
  pre: [],
  q: ["cite"],
  s: [],
  small: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: ["align", "colspan", "rowspan"],
  tfoot: [],
  th: ["align", "colspan", "rowspan", "scope"],
  thead: [],
  time: ["datetime"],
  tr: [],
  u: [],
  ul: [],
};

export const VOID = new Set(["br", "hr", "img"]);
const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);
/** Schemes allowed per attribute; anything else loses the attribute. */
const SCHEMES: Record<string, readonly string[]> = {
  href: ["http:", "https:", "mailto:"],
  src: ["http:", "https:"],
  cite: ["http:", "https:"],
};
const NUMBER_ATTRIBUTES = new Set(["width", "height", "colspan", "rowspan", "start"]);

/** Character references can bring back what text hygiene removed (e.g. "&#1;"): remove it again. */
export const cleanText = stripForbiddenXmlChars;

export const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00A0/g, "&nbsp;");
export const escapeAttr = (s: string) => escapeText(s).replace(/"/g, "&quot;");

/** Resolves against the article's URL; undefined unless the result uses an allowed scheme. */
function safeUrl(value: string, attribute: string, base: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  let url: URL;
  try {
    url = trimmed.startsWith("#") ? new URL(base + trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  return SCHEMES[attribute]!.includes(url.protocol) ? url.href : undefined;
}

/** The attributes of a `tag` element that the policy keeps, URLs resolved against `base` and values normalised; in their order. */
export function cleanAttributes(tag: string, attrs: readonly Attribute[], base: string): Attribute[] {
  const allowed = ALLOWED[tag] ?? [];
  const out: Attribute[] = [];
  for (const { name, value } of attrs) {
    if (!allowed.includes(name)) continue;
    let clean: string | undefined = cleanText(value);
    if (URL_ATTRIBUTES.has(name)) clean = safeUrl(clean, name, base);
    else if (NUMBER_ATTRIBUTES.has(name)) clean = /^\d{1,6}$/.test(clean.trim()) ? clean.trim() : undefined;
    else if (name === "class") clean = /^language-[A-Za-z0-9_+#.-]{1,40}$/.test(clean) ? clean : undefined;
    else if (name === "align") clean = /^(left|right|center|justify)$/i.test(clean) ? clean.toLowerCase() : undefined;
    if (clean !== undefined) out.push({ name, value: clean });
  }
  return out;
}

/** An element's start tag as the policy writes it (attributes already cleaned). */
export function startTag(tag: string, attrs: readonly Attribute[]): string {
  let out = `<${tag}`;
  for (const a of attrs) out += ` ${a.name}="${escapeAttr(a.value)}"`;
  return `${out}>`;
}
