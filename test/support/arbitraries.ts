/**
 * fast-check generators for hostile article text, and the seed every
 * property runs with. FC_SEED=<n> reproduces a run (fast-check prints the
 * seed and the shrunk counterexample of any failure); the default is fixed
 * so CI is deterministic.
 */
import fc from "fast-check";

export const SEED = Number(process.env.FC_SEED ?? 20260707);

/** Property settings: seeded, with the shrunk counterexample and seed in the failure message. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, endOnFailure: false };
}

/** Pieces that break naive feed writers, XML, HTML, JSON or YAML. */
const NASTY = [
  "]]>", "]]]]>", "<![CDATA[", "<", ">", "&", "&amp;", "&#x26;", "&#38;", "&lt;", "&nbsp;", "&bogus;", '"', "'", "`",
  "<b>", "</b>", "</p>", "<script>alert(1)</script>", "-->", "<!--", "<?xml", "\\", "${x}", "%2e%2e", "{{x}}",
  "\u0000", "\u0001", "\u0002", "\u0007", "\u0008", "\u000B", "\u000C", "\u001B", "\u007F", "\u0085", "\u009F",
  "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uFFFE", "\uFFFF", "\uFFFD", "\uFEFF", "\uFDD0",
  "\u200B", "\u200D", "\u200F", "\u202E", "\u2066", "\u2028", "\u2029", "\u00A0", "\u3000",
  "\u0301", "e\u0301", "\u05D0\u05B8", "שלום", "مرحبا بكم", "東京", "🚀", "👩‍👩‍👧", "🏳️‍🌈", "\uD83D\uDE80",
  "\t", "\n", "\r", "\r\n", "  ", "---", "- x", ": ", "# ", "? ", "|", "!!binary", "&anchor", "*alias", "null", "true", "1e3", "0x1F",
];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 10 }) },
);

/** Something a reader sees, whatever surrounds it. */
const visible = fc.constantFrom("a", "Z", "0", "東", "🚀", "&", "<", ">", "]]>", "\"", "e\u0301", "ש", "&amp;", "</b>");

/** Arbitrary text, heavy on the hostile pieces above; may be empty or only white space and control characters. */
export const hostileText = (maxPieces = 12) => fc.array(piece, { maxLength: maxPieces }).map((p) => p.join(""));


/**
 * Text for a field the record requires non-empty: hostile text around a
 * visible core, and one time in ten anything at all (then the record may be
 * refused, which the property checks too).
 */
export const fieldText = (maxPieces = 12) =>
  fc.oneof(
    { weight: 9, arbitrary: fc.tuple(hostileText(maxPieces / 2), visible, hostileText(maxPieces / 2)).map((p) => p.join("")) },
    { weight: 1, arbitrary: hostileText(maxPieces) },
  );

/** Markdown syntax and raw HTML mixed into bodies. */
const MARKDOWN = [
  "\n\n", "# ", "## ", "*", "**", "_", "`", "```\n", "\n```", "> ", "\n- ", "\n1. ", "---\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
  "[link](https://x.example/a?b=1&c=2)", "[rel](../other)", "[frag](#top)", "[bad](javascript:alert(1))", "![img](/p.jpg)",
  "![data](data:image/png;base64,AAAA)", "<div>", "</div>", "<p onclick=\"x\">", "<img src=x onerror=alert(1)>", "<iframe src=//e>",
  "<style>*{}</style>", "<form><input></form>", "<a href=\"jav&#x61;script:x\">", "<table><tr><td>", "<pre>\n", "<svg><script>1</script>",
  "- [x] task", "&#0;", "&#x85;", "&#xD800;", "<br/>", "<math>", "\\<", "<<>>",
];

const markdownPieces = (max: number) =>
  fc.array(fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...MARKDOWN) }, { weight: 3, arbitrary: piece }), { maxLength: max }).map((p) => p.join(""));

/** Markdown bodies: mostly with some visible text; one in ten anything (possibly empty, then refused). */
export const markdownBody = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(markdownPieces(12), visible, markdownPieces(12)).map((p) => p.join("")) },
  { weight: 1, arbitrary: markdownPieces(24) },
);

/** URLs: generated web URLs, and relative or odd ones that a record may give. */
export const anyUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom("/media/a b.mp3", "/m/%E2%82%AC.mp3", "media/x<y>&z\".mp3", "//cdn.example/a.mp3", "/é/ü.mp3", "?q=1&r=<2>", "../../../up.mp3", "/a\tb\nc.mp3", "HTTPS://EXAMPLE.COM/A.MP3", "http://[::1]:8080/x.mp3", "https://xn--bcher-kva.example/b.mp3", "https://bücher.example/b.mp3"),
);

/**
 * README "Text hygiene", written here independently of src/core/text.ts (code
 * unit by code unit, not one regex): C0 controls but tab/LF/CR, DEL and C1
 * controls, lone surrogates and noncharacters are removed.
 */
export function hygiene(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = s.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) continue; // lone high surrogate
      const codePoint = 0x10000 + (c - 0xd800) * 0x400 + (low - 0xdc00);
      i++;
      if ((codePoint & 0xfffe) !== 0xfffe) out += String.fromCodePoint(codePoint);
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue; // lone low surrogate
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    if (c >= 0x7f && c <= 0x9f) continue;
    if ((c >= 0xfdd0 && c <= 0xfdef) || c === 0xfffe || c === 0xffff) continue;
    out += s[i];
  }
  return out;
}

/** What the record parser makes of single-line text (titles, names, categories, summary): hygiene, then white space collapsed. */
export const lineText = (s: string) => hygiene(s).replace(/\s+/g, " ").trim();

export const slug = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join("-"));
