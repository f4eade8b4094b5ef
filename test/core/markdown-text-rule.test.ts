/**
 * The renderer lexes a body without "@" with marked's GFM text rule less its
 * e-mail look-aheads (src/core/markdown.ts, TEXT_RULES). That is only an
 * optimisation if both rules match the same on every such text: held here
 * on generated Markdown at every position a lexer could start from.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown, TEXT_RULES } from "../../src/core/markdown.js";
import { markdownBody, runs } from "../support/arbitraries.js";

const { withAddresses, withoutAddresses } = TEXT_RULES;

describe("the text rule without e-mail look-aheads", () => {
  it("is a different, shorter pattern with no '@' in it (else the optimisation is off)", () => {
    expect(withoutAddresses).not.toBe(withAddresses);
    expect(withoutAddresses.source).not.toContain("@");
    expect(withAddresses.source).toContain("@");
    expect(withoutAddresses.flags).toBe(withAddresses.flags);
  });

  it("matches exactly what the full rule matches, from every position of text without '@'", { timeout: 120_000 }, () => {
    const words = fc.constantFrom("said", " ", "  \n", "\n", "www.x.example", "https://a.example/b", "ftp://f.example", "mailto:", "xmpp:", "_a_", "*", "~~", "`c`", "\\", "<", "[", "!", "a.b+c", "x-y", "東京", "e\u0301");
    const text = fc.oneof(
      markdownBody.map((b) => b.replace(/@/g, "")),
      fc.array(words, { maxLength: 40 }).map((w) => w.join("")),
    );
    fc.assert(
      fc.property(text, (s) => {
        for (let at = 0; at < s.length; at++) {
          const rest = s.slice(at);
          expect(withoutAddresses.exec(rest), JSON.stringify(rest)).toEqual(withAddresses.exec(rest));
        }
      }),
      runs(1500),
    );
  });

  it("renders a body with an e-mail address as one (the full rule is used where an '@' is)", () => {
    expect(renderMarkdown("Write to desk@news.example today.", "https://news.example/items/x").html).toContain('<a href="mailto:desk@news.example">desk@news.example</a>');
  });
});
