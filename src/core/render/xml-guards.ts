/**
 * Guards for the XML writer underneath `feed` (xml-js). Each compensates one
 * quirk, so that what a strict parser reads back is exactly our text:
 *
 * - text nodes: xml-js first turns every "&amp;" back into "&" and then
 *   escapes, so a literal "&amp;" would come out as "&". Escaping "&" first
 *   makes its un-escape step land back on our text.
 * - CDATA: xml-js splits only the FIRST "]]>" (String#replace with a string);
 *   a second one would end the section early. We split all but the first.
 * - attributes: xml-js escapes only '"' and `feed` only "&", so a "<" would
 *   make the document ill-formed. We pass a placeholder that cannot occur in
 *   content (U+FFFF is stripped from every input) and swap it for "&lt;" in
 *   the finished document.
 *
 * All three also strip the characters XML 1.0 cannot carry.
 */
import { stripForbiddenXmlChars } from "../text.js";

const LT_PLACEHOLDER = "\uFFFF";

export function textNode(text: string): string {
  return stripForbiddenXmlChars(text).replace(/&/g, "&amp;");
}

export function cdata(text: string): string {
  const clean = stripForbiddenXmlChars(text);
  const first = clean.indexOf("]]>");
  if (first === -1) return clean;
  const head = clean.slice(0, first + 3);
  return head + clean.slice(first + 3).replaceAll("]]>", "]]]]><![CDATA[>");
}

/** For attribute values that `feed` escapes "&" in (category term/label). */
export function ampEscapedAttribute(text: string): string {
  return stripForbiddenXmlChars(text).replaceAll("<", LT_PLACEHOLDER);
}

/** Applied to the finished document: resolves attribute placeholders. */
export function finishXml(xml: string): string {
  return xml.replaceAll(LT_PLACEHOLDER, "&lt;");
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
