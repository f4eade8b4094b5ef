import { describe, expect, it } from "vitest";
import { emptyStamps, parseStamps, reconcileStamps, serialiseStamps, StampsError } from "../../src/core/change-stamps.js";
import { article, testSite } from "../support/fixtures.js";

const site = testSite();
const a = article("a", { title: "A", published: "2022-01-01T00:00:00Z", categories: ["Alpha"] }, undefined, site);
const b = article("b", { title: "B", published: "2022-01-02T00:00:00Z", updated: "2022-02-02T00:00:00Z", categories: ["Beta"] }, undefined, site);
const T1 = new Date("2026-01-01T00:00:00Z");
const T2 = new Date("2026-02-01T00:00:00Z");

describe("change stamps", () => {
  it("a first state dates each record by its own newest date", () => {
    const s = reconcileStamps(undefined, [{ name: "a.md", sha: "1", article: a }, { name: "b.md", sha: "2", article: b }], T1);
    expect(s.records.get("a.md")!.changed).toEqual(a.published);
    expect(s.records.get("b.md")!.changed).toEqual(b.updated);
    expect(s.left.size).toBe(0);
  });

  it("unchanged bytes keep their stamp; new bytes are stamped now; an edit in place keeps `listed`", () => {
    const first = reconcileStamps(emptyStamps(), [{ name: "a.md", sha: "1", article: a }], T1);
    expect(first.moved).toBe(true);
    expect(first.records.get("a.md")!.changed).toEqual(T1);
    const same = reconcileStamps(first, [{ name: "a.md", sha: "1", article: a }], T2);
    expect(same.moved).toBe(false);
    expect(same.records.get("a.md")).toBe(first.records.get("a.md"));
    const edited = reconcileStamps(first, [{ name: "a.md", sha: "9", article: { ...a, title: "A again" } }], T2);
    expect(edited.records.get("a.md")!.changed).toEqual(T2);
    expect(edited.records.get("a.md")!.listed).toEqual(T1);
    expect(edited.left.size).toBe(0);
  });

  it("a move to another category relists it and marks the category it left; a removal marks all its scopes", () => {
    const first = reconcileStamps(emptyStamps(), [{ name: "a.md", sha: "1", article: a }], T1);
    const moved = reconcileStamps(first, [{ name: "a.md", sha: "2", article: { ...a, categories: ["Gamma"] } }], T2);
    expect(moved.records.get("a.md")!.listed).toEqual(T2);
    expect(moved.left.get("/categories/alpha/")).toEqual(T2);
    expect(moved.left.has("/")).toBe(false);
    const gone = reconcileStamps(moved, [], new Date("2026-03-01T00:00:00Z"));
    expect(gone.records.size).toBe(0);
    expect(gone.left.get("/")).toEqual(new Date("2026-03-01T00:00:00Z"));
    expect(gone.left.get("/categories/gamma/")).toEqual(new Date("2026-03-01T00:00:00Z"));
    expect(gone.left.get("/categories/alpha/")).toEqual(T2);
  });

  it("survives its file format, and a damaged file is an error naming the entry", () => {
    const s = reconcileStamps(emptyStamps(), [{ name: "a.md", sha: "1", article: a }, { name: "b.md", sha: "2", article: b }], T1);
    const { moved: _, ...state } = reconcileStamps(s, [{ name: "b.md", sha: "2", article: b }], T2);
    const text = serialiseStamps(state);
    expect(serialiseStamps(parseStamps(JSON.parse(text), "x"))).toBe(text);
    expect(() => parseStamps({ format: 1, records: { "a.md": { sha: "1", changed: "soon" } } }, "items/.changes.json")).toThrow(StampsError);
    expect(() => parseStamps({ format: 1, records: { "a.md": { sha: "1", changed: "soon" } } }, "items/.changes.json")).toThrow(/items\/\.changes\.json: records\.a\.md/);
    expect(() => parseStamps([], "f")).toThrow(/not a change-stamp file/);
  });
});
