/**
 * The renderer lexes a body without "@" with a scanner in place of marked's
 * GFM text rule (src/core/markdown-text.ts). That is only an optimisation if
 * the scanner takes exactly what marked's own pattern takes, from every
 * position of any such text: held here on generated Markdown and on text
 * made of the characters the rule stops at.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import fc from "fast-check";
import { Lexer } from "marked";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/core/markdown.js";
import { GFM_TEXT_SOURCE, plainTextLength, plainTextRule } from "../../src/core/markdown-text.js";
import { hostileText, markdownBody, runs } from "../support/arbitraries.js";

const markedText = (Lexer.rules.inline as unknown as { gfm: { text: RegExp } }).gfm.text;

/** From every position of `s`: the scanner's match is the pattern's. */
function sameEverywhere(s: string): void {
  for (let at = 0; at <= s.length; at++) {
    const rest = s.slice(at);
    const expected = markedText.exec(rest)?.[0] ?? null;
    expect(plainTextRule.exec(rest)?.[0] ?? null, JSON.stringify(rest)).toBe(expected);
  }
}

describe("the scanner in place of marked's text rule", () => {
  it("is written for the rule marked has (a marked upgrade that changes it turns the scanner off, and fails here)", () => {
    expect(markedText.source).toBe(GFM_TEXT_SOURCE);
    expect(markedText.flags).toBe("");
  });

  it("takes what the pattern takes, from every position of text without '@'", { timeout: 120_000 }, () => {
    const pieces = fc.constantFrom(
      "said", " ", "  ", "  \n", "   \n", " \n", "\n", "\t", "\u00A0", "\u3000", "\u2028", "www.x.example", "(www.", "*www.", "awww.", "WWW.", "https://a.example/b",
      "HtTp", "http", "ftp://f", "FTP://", "ftp:/", "mailto:", "xmpp:", "Mailto:", "-mailto:", "amailto:", "_a_", "a_b", "_", "*", "~", "~~", "`", "``c``", "\\", "<", "[", "]", "!", "(",
      "a.b+c", "x-y", "東京", "e\u0301", "\uD83D\uDE80", "0", "Z",
    );
    const text = fc.oneof(
      markdownBody,
      hostileText(12),
      fc.array(pieces, { maxLength: 40 }).map((p) => p.join("")),
    ).map((s) => s.replace(/@/g, ""));
    fc.assert(fc.property(text, sameEverywhere), runs(2000));
  });

  it("takes what the pattern takes on hand-picked edges", () => {
    for (const s of ["", "a", "`", "``x", "~~~", "~a", "a  \nb", "a \nb", "  \n", "x  ", "-mailto:a", "mailto:a", "(www.x", "awww.x", "a_b", "a\\b", "ahttp", "aftp://", "a ftp:/x"]) sameEverywhere(s);
    expect(plainTextLength("")).toBe(0);
  });

  it("is not used for a body with an '@', whose addresses stay links", () => {
    expect(renderMarkdown("Write to desk@news.example today.", "https://news.example/items/x").html).toContain('<a href="mailto:desk@news.example">desk@news.example</a>');
  });
});
