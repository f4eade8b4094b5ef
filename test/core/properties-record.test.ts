/**
 * Property-based, the record parser alone: front matter with long and
 * hostile field names (at the top and nested under authors, image and
 * enclosures) and long values of every field never make it throw; every
 * problem names the file, the field and, for a key written at the start of
 * a line, that line; messages stay short however long the input; and the
 * publish API's writer (recordText) stores text that reads back under the
 * one text rule, in every field and the body.
 *
 * Seeded (test/support/arbitraries.ts): FC_SEED=<n> reproduces a run.
 */
import fc from "fast-check";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { MAX_KEY_LENGTH, MAX_REPORTED_PROBLEMS, parseRecord } from "../../src/core/record.js";
import { recordText } from "../../src/core/record-writer.js";
import { fieldText, hostileText, hygiene, lineText, markdownBody, runs } from "../support/arbitraries.js";
import { testSite } from "../support/fixtures.js";

const site = testSite();
const FILE = "items/prop.md";
const encoder = new TextEncoder();

/** Text of `min`–`max` characters: a hostile piece repeated (never empty). */
const long = (min: number, max: number) =>
  fc.tuple(hostileText(6), fc.integer({ min, max })).map(([seed, length]) => {
    const unit = seed === "" ? "x" : seed;
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  });

/** A field name that YAML writes plainly at the start of a line: letters only, short or far over the limit. */
const plainKey = fc.oneof(
  fc.stringMatching(/^[a-z]{1,12}$/),
  fc.tuple(fc.constantFrom("k", "title", "ab", "Z"), fc.integer({ min: MAX_KEY_LENGTH + 1, max: 50_000 })).map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n)),
);

/** Any value a field may be given: hostile or long text, numbers, lists, mappings. */
const value = fc.oneof(
  fieldText(),
  long(1_000, 200_000),
  fc.integer(),
  fc.boolean(),
  fc.array(fieldText(4), { maxLength: 3 }),
  fc.dictionary(fc.oneof(fc.constantFrom("name", "url", "email", "type", "length"), hostileText(4), long(MAX_KEY_LENGTH + 1, 5_000)), fc.oneof(fieldText(4), long(1_000, 50_000))),
);

/** Known fields with hostile or long values, nested long keys included. */
const knownFields = fc.record(
  {
    title: fc.oneof(fieldText(), long(1_000, 300_000)),
    summary: fc.oneof(fieldText(), long(1_000, 100_000)),
    dateline: value,
    authors: fc.array(
      fc.oneof(
        fieldText(6),
        fc.record({ name: fieldText(6), email: fc.oneof(fc.constant("a@b.example"), long(1_000, 100_000).map((s) => `a@${s}`), fc.constant(`a@${".".repeat(50_000)}@`)) }),
        fc.dictionary(long(MAX_KEY_LENGTH + 1, 20_000), fieldText(4), { minKeys: 1, maxKeys: 2 }),
      ),
      { maxLength: 3 },
    ),
    image: fc.oneof(fc.constant("/a.jpg"), fc.dictionary(fc.oneof(fc.constant("url"), long(MAX_KEY_LENGTH + 1, 20_000)), fc.constant("/a.jpg"), { minKeys: 1, maxKeys: 2 })),
    enclosures: fc.array(fc.dictionary(fc.oneof(fc.constantFrom("url", "type", "length"), long(MAX_KEY_LENGTH + 1, 20_000)), fc.oneof(fc.constant("/a.mp3"), fc.nat())), { maxLength: 2 }),
    id: fc.oneof(fc.constant("tag:x.example,2022:a"), long(1_000, 100_000)),
  },
  { requiredKeys: [] },
);

const recordParts = fc.record({
  known: knownFields,
  plain: fc.array(fc.tuple(plainKey, fc.oneof(fc.integer(), fc.stringMatching(/^[a-z ]{0,20}$/))), { maxLength: 4 }),
  body: fc.oneof(markdownBody, long(1_000, 200_000)),
});

describe("property: long and hostile field names and values, through the record parser", () => {
  it("never throws; every problem names file, field and (for a key at a line's start) its line; messages stay short", () => {
    fc.assert(
      fc.property(recordParts, ({ known, plain, body }) => {
        const front = { published: "2022-06-29T09:00:00+09:00", ...known };
        // Plain keys are written by hand, one per line, as an editor would (js-yaml writes keys over 1,024 characters as "? key").
        const handWritten = plain.filter(([k]) => !(k in front));
        const unique = [...new Map(handWritten).entries()];
        const yamlText = `${yaml.dump(front, { lineWidth: -1 })}${unique.map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`).join("")}`;
        const text = `---\n${yamlText}---\n${body}\n`;
        const lines = text.split("\n");
        const result = parseRecord(FILE, text, site);
        if (result.ok) return;
        expect(result.errors.length).toBeGreaterThan(0);
        expect(result.errors.length).toBeLessThanOrEqual(MAX_REPORTED_PROBLEMS + 1);
        for (const error of result.errors) {
          expect(error.file).toBe(FILE);
          expect(error.field).not.toBe("");
          // However long the input, a message is one short line.
          expect(error.message.length, error.message.slice(0, 300)).toBeLessThan(600);
          expect(error.message).not.toContain("\n");
          if (error.line !== undefined) expect(error.line).toBeLessThanOrEqual(lines.length);
        }
        if (result.errors.length > MAX_REPORTED_PROBLEMS) return;
        unique.forEach(([key], i) => {
          const line = lines.indexOf(`${key}: ${JSON.stringify(unique[i]![1])}`) + 1;
          const named = result.errors.find((e) => e.line === line);
          expect(named, `${key.slice(0, 30)} (${key.length}) at line ${line}: ${result.errors.map(String).join("\n").slice(0, 500)}`).toBeDefined();
          expect(named!.message).toMatch(key.length > MAX_KEY_LENGTH ? `field name is ${key.length} characters long; the limit is ${MAX_KEY_LENGTH}` : "unknown field");
        });
      }),
      runs(200),
    );
  });

  it("what the API writes reads back under one text rule, every field and the body alike", () => {
    const input = fc.record({
      title: fc.oneof(fieldText(), long(1_000, 100_000)),
      summary: fieldText(),
      author: fieldText(6),
      category: fieldText(4),
      body: fc.oneof(markdownBody, long(1_000, 100_000)),
    });
    fc.assert(
      fc.property(input, ({ title, summary, author, category, body }) => {
        const fields = { title, summary, published: "2022-06-29T09:00:00+09:00", authors: [author], categories: [category] };
        // The bytes the API stores (a lone surrogate written raw would become U+FFFD here).
        const bytes = encoder.encode(recordText(fields, body));
        let result = parseRecord(FILE, bytes, site);
        // Random text can be too costly to render (marked is quadratic on long runs of "!", say): then the body,
        // and only the body, is refused with a render limit (README: limits of a record body), and the fields'
        // text rule is checked with a body that renders.
        const renderRefused = !result.ok && result.errors.length === 1 && result.errors[0]!.field === "body" && /render budget|nests deeper|renders? to more|table of more/.test(result.errors[0]!.problem);
        if (renderRefused) {
          result = parseRecord(FILE, encoder.encode(recordText(fields, "Text.")), site);
          body = "Text.";
        }
        const want = { title: lineText(title), summary: lineText(summary), author: lineText(author), category: lineText(category), body: hygiene(body).replace(/\r\n?/g, "\n").trim() };
        const valid = Object.values(want).every((v) => v !== "");
        expect(result.ok && "article" in result, JSON.stringify(result.ok ? "ok" : result.errors.map(String)).slice(0, 500)).toBe(valid);
        if (!result.ok || !("article" in result)) return;
        const a = result.article;
        expect([a.title, a.summary, a.authors[0]!.name, a.categories[0], a.body]).toEqual([want.title, want.summary, want.author, want.category, want.body]);
      }),
      runs(300),
    );
  });
});
