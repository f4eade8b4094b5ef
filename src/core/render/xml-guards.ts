/**
 * Guards for the XML writer underneath `feed` (xml-js). Each compensates one
 * quirk, so that what a strict parser reads back is exactly our text:
 *
 * - text nodes: xml-js first turns every "&amp;" back into "&" and then
 *   escapes, so a literal "&amp;" would come out as "&". Plain text therefore
 *   goes in with no "&" at all (see RSS plain text below, used by both XML formats).
 * - CDATA: xml-js splits only the FIRST "]]>" (String#replace with a string);
 *   a second one would end the section early. We split all but the first.
 * - attributes: xml-js escapes only '"' and `feed` only "&", so a "<" would
 *   make the document ill-formed. We pass a placeholder that cannot occur in
 *   content (U+FFFF is stripped from every input) and swap it for "&lt;" in
 *   the finished document.
 *
 * - RSS plain text (titles, categories, channel text): the RSS Best
 *   Practices Profile asks for "&" and "<" as hexadecimal character
 *   references, so that no reader can take the text for markup and the W3C
 *   validator does not flag it. xml-js cannot write a character reference,
 *   so placeholders go in and the references are swapped in at the end;
 *   `feed` wraps item titles in CDATA, where a reference would be literal,
 *   so that CDATA wrapper is removed for them.
 *
 * All of them also strip the characters XML 1.0 cannot carry.
 * Placeholders are characters that stripping guarantees never occur in content.
 */
import { stripForbiddenXmlChars } from "../text.js";

const LT_PLACEHOLDER = "\uFFFF";
const AMP_PLACEHOLDER = "\u0001";
const GT_PLACEHOLDER = "\u0002";

export function cdata(text: string): string {
  const clean = stripForbiddenXmlChars(text);
  const first = clean.indexOf("]]>");
  if (first === -1) return clean;
  const head = clean.slice(0, first + 3);
  return head + clean.slice(first + 3).replaceAll("]]>", "]]]]><![CDATA[>");
}

/** For attribute values nobody escapes: extension elements we hand to `feed` (xml-js escapes only '"'). */
export function plainAttribute(text: string): string {
  return stripForbiddenXmlChars(text).replace(/&/g, "&amp;").replaceAll("<", LT_PLACEHOLDER);
}

/** For attribute values that `feed` escapes "&" in (category term/label). */
export function ampEscapedAttribute(text: string): string {
  return stripForbiddenXmlChars(text).replaceAll("<", LT_PLACEHOLDER);
}

/** RSS plain text: "&" and "<" become &#x26; and &#x3C; in the finished document. */
export function rssPlainText(text: string): string {
  return stripForbiddenXmlChars(text)
    .replaceAll("&", AMP_PLACEHOLDER)
    .replaceAll("<", LT_PLACEHOLDER)
    .replaceAll(">", GT_PLACEHOLDER);
}

/** `<title><![CDATA[…]]></title>` around placeholder text (no "<" or ">" in it, so no "]]>") becomes element text. */
const CDATA_TITLE = /<title><!\[CDATA\[([^<>]*)\]\]><\/title>/g;

/** Applied to the finished document: resolves placeholders into character references. */
export function finishXml(xml: string): string {
  return xml
    .replace(CDATA_TITLE, "<title>$1</title>")
    .replaceAll(LT_PLACEHOLDER, "&#x3C;")
    .replaceAll(AMP_PLACEHOLDER, "&#x26;")
    .replaceAll(GT_PLACEHOLDER, "&gt;");
}

/** Escaping for XML we write ourselves (element text and double-quoted attributes). */
export function escapeXml(text: string): string {
  return stripForbiddenXmlChars(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}
