/**
 * Property-based: bodies built to stress the renderer — deep nesting of every
 * kind (Markdown quotes, lists, emphasis, links; HTML elements, known and
 * unknown) and long runs of emphasis, strikethrough, link and code-span
 * openers — either render (the record is an Article whose body rendered) or
 * are refused with a "body" RecordError. Nothing else is ever thrown: no
 * RangeError from a recursion, no half-rendered article.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordError } from "../../src/core/errors.js";
import { MAX_RECORD_BYTES, parseRecord } from "../../src/core/record.js";
import { RENDER_LIMITS } from "../../src/core/render-limits.js";
import { markdownBody, runs } from "../support/arbitraries.js";
import { record, testSite } from "../support/fixtures.js";

const site = testSite();

/** One level of nesting, as text before and after the inner content. */
const NESTERS: Record<string, (depth: number, inner: string) => string> = {
  quote: (d, inner) => `${"> ".repeat(d)}${inner}`,
  list: (d, inner) => Array.from({ length: d }, (_, i) => `${"  ".repeat(i)}- item ${i}`).join("\n") + `\n${"  ".repeat(d)}${inner}`,
  ordered: (d, inner) => Array.from({ length: d }, (_, i) => `${"   ".repeat(i)}1. item ${i}`).join("\n") + `\n${"   ".repeat(d)}${inner}`,
  quoteList: (d, inner) => `${"> - ".repeat(d)}${inner}`,
  emphasis: (d, inner) => `${"*a _b ".repeat(d)}${inner}${" b_ a*".repeat(d)}`,
  strong: (d, inner) => `${"**a ".repeat(d)}${inner}${" a**".repeat(d)}`,
  links: (d, inner) => `${"[".repeat(d)}${inner}${"](https://e.example/)".repeat(d)}`,
  div: (d, inner) => `${"<div>".repeat(d)}${inner}${"</div>".repeat(d)}`,
  unclosedDiv: (d, inner) => `${"<div>".repeat(d)}${inner}`,
  bold: (d, inner) => `${"<b>".repeat(d)}${inner}`,
  blockquote: (d, inner) => `${"<blockquote>".repeat(d)}${inner}`,
  ulLi: (d, inner) => `${"<ul><li>".repeat(d)}${inner}`,
  unknown: (d, inner) => `${"<x-wire>".repeat(d)}${inner}`,
  template: (d, inner) => `${"<template><div>".repeat(d)}${inner}`,
  formatting: (d, inner) => `${Array.from({ length: d }, (_, i) => `<b id=${i}>`).join("</p><p>")}${inner}`,
};

const INLINE = ["emphasis", "strong", "links"];

/** Openers repeated into one long paragraph: the runs that made marked quadratic. */
const RUNS = ["_a", "*a", "**a", "~a", "~~a", "`a", "[a", "[a](", "![a", "<a", "a_", "_a@", "x@", "\\a", "&a"];

/** Parses a record with this body; asserts the only outcomes allowed. */
function outcome(body: string): "rendered" | "refused" {
  let result: ReturnType<typeof parseRecord>;
  try {
    result = parseRecord("items/stress.md", record({ title: "Stress", published: "2022-06-29" }, body), site);
  } catch (error) {
    throw new Error(`parseRecord threw ${String(error).slice(0, 200)}`);
  }
  if (result.ok) {
    if (!("article" in result)) throw new Error("not a draft");
    expect(typeof result.article.rendered.html).toBe("string");
    return "rendered";
  }
  for (const e of result.errors) {
    expect(e).toBeInstanceOf(RecordError);
    expect(e.field).toBe("body");
  }
  expect(result.errors.length).toBeGreaterThan(0);
  return "refused";
}

const tally = { rendered: 0, refused: 0 };

describe("property: stressing the renderer renders within the limits or refuses the body", () => {
  it("nesting of every kind, 1 to 3,000 deep, around ordinary Markdown", { timeout: 120_000 }, () => {
    const kind = fc.constantFrom(...Object.keys(NESTERS));
    fc.assert(
      fc.property(kind, fc.integer({ min: 1, max: 3000 }), markdownBody, (name, depth, inner) => {
        // Inline nesting past a few hundred is a run of unmatched openers: the next property's subject.
        fc.pre(!INLINE.includes(name) || depth <= 300);
        const body = NESTERS[name]!(depth, inner.replace(/\n/g, " "));
        fc.pre(body.length < MAX_RECORD_BYTES);
        const result = outcome(body);
        tally[result]++;
        // Well within the limit, nothing is refused; far past it, nothing is accepted.
        if (depth <= 10) expect(result, `${name} ${depth}`).toBe("rendered");
        if (depth > 2 * RENDER_LIMITS.maxDepth && !INLINE.includes(name) && !name.includes("list") && name !== "ordered") expect(result, `${name} ${depth}`).toBe("refused");
      }),
      runs(150),
    );
  });

  it("Markdown nesting just past the limit is refused; just within it renders", () => {
    // Elements each level adds: a quote's paragraph is one more; <template><div> is two a level.
    for (const [name, perLevel] of [["quote", 1], ["div", 1], ["unclosedDiv", 1], ["bold", 1], ["blockquote", 1], ["unknown", 1], ["template", 2]] as const) {
      expect(outcome(NESTERS[name]!(Math.floor(RENDER_LIMITS.maxDepth / perLevel) - 4, "x")), name).toBe("rendered");
      expect(outcome(NESTERS[name]!(Math.floor(RENDER_LIMITS.maxDepth / perLevel) + 1, "x")), name).toBe("refused");
    }
  });

  it("long runs of emphasis, strikethrough, link, image, tag and code-span openers", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...RUNS), fc.integer({ min: 1, max: 5_000 }), fc.constantFrom("", "*", "_", ")", "`", "]", "~"), (piece, n, tail) => {
        tally[outcome(`${piece.repeat(n)}${tail}`)]++;
      }),
      runs(60),
    );
  });

  it("a paragraph of emphasis openers that never pair is refused by the budget, not rendered in quadratic time", () => {
    for (const run of ["*a ", "_a ", "~a ", "**a "]) expect(outcome(`${run.repeat(20_000)}a${run.trim()[0]}`), run).toBe("refused");
    // Runs whose openers are settled at once stay accepted however long.
    for (const run of ["_a", "*a", "**a", "~a", "a_"]) expect(outcome(run.repeat(50_000)), run).toBe("rendered");
  });

  it("long runs of link openers that never close are refused by the budget; closed links are not", () => {
    for (const run of ["[a](", "![a](", "[a", "![a"]) expect(outcome(`${run.repeat(50_000)})`), run).toBe("refused");
    for (const run of ["[a] (", "[a](b) ", "[a] ", "[x](https://e.example/a_b) "]) expect(outcome(run.repeat(20_000)), run).toBe("rendered");
  });

  it("bodies near the 1 MiB record limit of each kind of run render or are refused, never throw", { timeout: 300_000 }, () => {
    // Hundreds of thousands of tokens in one paragraph: nothing may spread them into a call's arguments or recurse per token.
    for (const piece of ["`a", "_a", "\\a", "&a", "a_", "<a", "[a", "~a", "plain "]) {
      const body = piece.repeat(Math.floor((MAX_RECORD_BYTES - 1024) / piece.length));
      tally[outcome(body)]++;
    }
  });

  it("both outcomes occurred (the properties are not vacuous)", () => {
    expect(tally.rendered).toBeGreaterThan(20);
    expect(tally.refused).toBeGreaterThan(20);
  });
});
