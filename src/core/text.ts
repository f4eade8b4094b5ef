/**
 * Text hygiene shared by every format. XML 1.0 forbids most C0 controls, lone
 * UTF-16 surrogates and the noncharacters U+FFFE/U+FFFF; no escape can carry
 * them, so they are removed (documented in the README) before any rendering.
 *
 * Also removed: DEL and the C1 controls (U+007F–U+009F) and every other
 * noncharacter (U+FDD0–U+FDEF, U+nFFFE/U+nFFFF in the supplementary planes).
 * XML 1.0 (§2.2) discourages them, and an HTML parser reports each as a parse
 * error, so they would make an Atom type="html" title, an RSS description or
 * an article body invalid HTML (found by the property tests). None is text a
 * reader can see.
 */

// Not a `u` regex on purpose: with `u`, lone surrogates could not be matched.
// The supplementary noncharacters are surrogate pairs, matched before the lone-surrogate alternatives.
const FORBIDDEN_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripForbiddenXmlChars(text: string): string {
  return text.replace(FORBIDDEN_XML_CHARS, "");
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML/XML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
};

/** Decodes numeric and the basic named character references (what Markdown emits). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Collapses runs of white space (including newlines) to single spaces and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Text as an error message quotes it: JSON-quoted (a newline or control
 * character cannot break the one-line message) and cut after `max`
 * characters, so a message names a 1 MiB value without repeating it.
 */
export function quoteForMessage(text: string, max = 80): string {
  if (text.length <= max) return JSON.stringify(text);
  // Not between the two halves of a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return `${JSON.stringify(text.slice(0, cut))}… (${text.length} characters)`;
}
