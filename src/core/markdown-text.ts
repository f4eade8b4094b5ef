/**
 * marked's GFM inline text rule, less its e-mail look-aheads, as a scanner.
 *
 * The rule decides how much plain text the inline lexer takes before the
 * next character that could start something else (an escape, a tag, a link,
 * emphasis, code, an autolink, a hard break). As a regular expression it is
 * a lazy loop trying a dozen look-aheads at every character: the largest
 * single cost of lexing an article. This walks the text once, asking the
 * same questions in the same order at each position. It stands in for the
 * pattern only on bodies without "@" (markdown.ts), where the e-mail
 * look-aheads cannot match; test/core/markdown-text-rule.test.ts holds it to
 * the pattern's matches at every position of generated text.
 *
 * The pattern, for reference (marked 18, `Lexer.rules.inline.gfm.text`,
 * without e-mail look-aheads; no flags, so classes are of UTF-16 code units):
 *
 *   ^(?:[^a-zA-Z0-9](?=(?:mailto|xmpp):)
 *      |(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\n)
 *         |[\s\S]*?(?:(?=[\\<!\[`*~_]|\b_|[hH][tT][tT][pP][sS]?|[fF][tT][pP]:\/\/|(?<![^\s*_~(])www\.|$)
 *                    |[^ ](?= {2,}\n)|[^a-zA-Z0-9](?=(?:mailto|xmpp):))))
 */

/** marked's rule (`Lexer.rules.inline.gfm.text`) as this scanner implements it, e-mail look-aheads and all. */
export const GFM_TEXT_SOURCE =
  "^(?:[^a-zA-Z0-9](?=(?:mailto|xmpp):)|(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\\n)|(?=[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]+@)|[\\s\\S]*?(?:(?=[\\\\<!\\[`*~_]|\\b_|[hH][tT][tT][pP][sS]?|[fF][tT][pP]:\\/\\/|(?<![^\\s*_~(])www\\.|$)|[^ ](?= {2,}\\n)|[^a-zA-Z0-9](?=(?:mailto|xmpp):)|[^a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-](?=[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]+@))))";

const BACKTICK = 0x60;
const TILDE = 0x7e;
const SPACE = 0x20;
const NEWLINE = 0x0a;

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `(?=(?:mailto|xmpp):)` at `at` (case-sensitive, as in the pattern). */
function schemeAt(s: string, at: number): boolean {
  return s.startsWith("mailto:", at) || s.startsWith("xmpp:", at);
}

/** `(?= {2,}\n)` at `at`: two or more spaces, then a newline (a hard line break). */
function breakAt(s: string, at: number): boolean {
  let end = at;
  while (s.charCodeAt(end) === SPACE) end++;
  return end - at >= 2 && s.charCodeAt(end) === NEWLINE;
}

/** Letters compared without case: `c | 0x20` is `lower` only for `lower` and its capital. */
const isLetter = (c: number, lower: number) => (c | 0x20) === lower;

/** The characters `[\s*_~(]` before "www." (one code unit, as the pattern's look-behind sees it). */
const BEFORE_WWW = /[\s*_~(]/;

/** The pattern's zero-width stop `(?=[\\<!\[`*~_]|\b_|[hH][tT][tT][pP]…|[fF][tT][pP]:\/\/|(?<![^\s*_~(])www\.|$)` at `at`. */
function stopAt(s: string, at: number): boolean {
  if (at >= s.length) return true;
  const c = s.charCodeAt(at);
  // \ < ! [ ` * ~ _  (a "_" after a word boundary is one of these already)
  if (c === 0x5c || c === 0x3c || c === 0x21 || c === 0x5b || c === BACKTICK || c === 0x2a || c === TILDE || c === 0x5f) return true;
  if (isLetter(c, 0x68) && isLetter(s.charCodeAt(at + 1), 0x74) && isLetter(s.charCodeAt(at + 2), 0x74) && isLetter(s.charCodeAt(at + 3), 0x70)) return true;
  if (isLetter(c, 0x66) && isLetter(s.charCodeAt(at + 1), 0x74) && isLetter(s.charCodeAt(at + 2), 0x70) && s.startsWith("://", at + 3)) return true;
  return c === 0x77 && s.startsWith("www.", at) && (at === 0 || BEFORE_WWW.test(s[at - 1]!));
}

/** The length of the pattern's match at the start of `s`, or 0 when it does not match (only on empty text). */
export function plainTextLength(s: string): number {
  if (s.length === 0) return 0;
  const first = s.charCodeAt(0);
  if (!isAsciiAlphanumeric(first) && schemeAt(s, 1)) return 1;
  // (`+|~+|[^`~]): a run of backticks or of tildes, or one code unit.
  let at = 1;
  if (first === BACKTICK || first === TILDE) while (s.charCodeAt(at) === first) at++;
  const next = s.charCodeAt(at);
  if (next === BACKTICK || next === TILDE || breakAt(s, at)) return at;
  // The lazy loop: at each position the stop, then a character before a hard break, then one before mailto:/xmpp:.
  for (;; at++) {
    if (stopAt(s, at)) return at;
    const c = s.charCodeAt(at);
    if (c !== SPACE && breakAt(s, at + 1)) return at + 1;
    if (!isAsciiAlphanumeric(c) && schemeAt(s, at + 1)) return at + 1;
  }
}

/**
 * The scanner in the place of the pattern: marked calls `exec` and reads the
 * match (index 0) only; the one capture group is not given.
 */
export const plainTextRule = {
  exec(src: string): RegExpExecArray | null {
    const length = plainTextLength(src);
    if (length === 0) return null;
    return Object.assign([src.slice(0, length)], { index: 0, input: src, groups: undefined }) as RegExpExecArray;
  },
} as unknown as RegExp;
