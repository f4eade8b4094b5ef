/**
 * The start-up rule for records sharing an id, on every store: the record
 * whose id is derived from its own slug and date holds it, else the earliest
 * `published`, else the first file name. Stores read whole (parseRecords:
 * the Node server, the static build, the Worker data build, validate).
 */
import { describe, expect, it } from "vitest";
import { oneOfEachId, parseRecords } from "../../src/core/catalog.js";
import { record, testSite } from "../support/fixtures.js";

const site = testSite();
const encoder = new TextEncoder();

function decide(files: Record<string, string>) {
  const raw = Object.entries(files).map(([name, text]) => ({ file: `items/${name}`, bytes: encoder.encode(text) }));
  const whole = parseRecords(raw, site);
  return { kept: whole.articles.map((a) => a.slug).sort(), errors: whole.errors.map((e) => e.message) };
}

describe("which record keeps a shared id", () => {
  it("the article the id was derived for, even when a copy sorts first and is dated earlier", () => {
    const id = "tag:news.example,2022-06-29:seoul";
    const result = decide({
      "seoul.md": record({ title: "Seoul", published: "2022-06-29T10:00:00+09:00" }),
      "a-copy.md": record({ title: "Copy", id, published: "2022-06-01T10:00:00+09:00" }),
    });
    expect(result).toEqual({ kept: ["seoul"], errors: [`items/a-copy.md: id: "${id}" is already used by items/seoul.md`] });
  });

  it("else the earliest published, whatever the names", () => {
    const id = "urn:uuid:8c1f7a52-4a4e-4a5e-9d6e-3b5f7d2c1a90";
    const result = decide({
      "a.md": record({ title: "Later", id, published: "2022-06-30" }),
      "z.md": record({ title: "Earlier", id, published: "2022-06-29" }),
    });
    expect(result).toEqual({ kept: ["z"], errors: [`items/a.md: id: "${id}" is already used by items/z.md`] });
  });

  it("else the first file name", () => {
    const id = "urn:uuid:8c1f7a52-4a4e-4a5e-9d6e-3b5f7d2c1a90";
    const result = decide({
      "b.md": record({ title: "B", id, published: "2022-06-29" }),
      "a.md": record({ title: "A", id, published: "2022-06-29" }),
      "c.md": record({ title: "C", id, published: "2022-06-29" }),
    });
    expect(result.kept).toEqual(["a"]);
    expect(result.errors).toEqual([`items/b.md: id: "${id}" is already used by items/a.md`, `items/c.md: id: "${id}" is already used by items/a.md`]);
  });

  it("a holder named by the catalog being replaced keeps its id against any newcomer", () => {
    const { articles } = parseRecords(
      [
        { file: "items/old.md", bytes: encoder.encode(record({ title: "Old", id: "urn:x:1", published: "2022-06-30" })) },
        { file: "items/new.md", bytes: encoder.encode(record({ title: "New", id: "urn:x:1", published: "2022-06-01" })) },
      ],
      site,
    );
    // parseRecords alone picks the earlier one; with "old.md" as the holder, it stays.
    expect(articles.map((a) => a.slug)).toEqual(["new"]);
    const all = [
      { ...articles[0]!, slug: "new", file: "items/new.md" },
      { ...articles[0]!, slug: "old", file: "items/old.md", published: new Date("2022-06-30") },
    ];
    const errors: Error[] = [];
    expect(oneOfEachId(all, errors as never, site, new Map([["urn:x:1", "items/old.md"]])).map((a) => a.slug)).toEqual(["old"]);
    expect(errors.map(String)).toEqual(['RecordError: items/new.md: id: "urn:x:1" is already used by items/old.md']);
  });
});
