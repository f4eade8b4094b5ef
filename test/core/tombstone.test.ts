import { describe, expect, it } from "vitest";
import { memoryCatalog } from "../../src/core/catalog.js";
import { latestPerId, parseTombstones, serialiseTombstones } from "../../src/core/tombstone.js";

describe("tombstones as stored", () => {
  it("old entries (slug, id, when) still load; new ones keep title and scopes; a bad optional field is dropped alone", () => {
    const parsed = parseTombstones([
      { slug: "old", id: "urn:x:old", when: "2026-11-01T00:00:00.000Z" },
      { slug: "new", id: "urn:x:new", when: "2026-11-02T00:00:00.000Z", title: "New", categories: ["Cyber"], authors: ["Kim Min-ji"], language: "en" },
      { slug: "odd", id: "urn:x:odd", when: "2026-11-03T00:00:00.000Z", categories: "Cyber", authors: [1] },
      { slug: "bad", when: "2026-11-03T00:00:00.000Z" },
    ]);
    expect(parsed).toEqual([
      { slug: "old", id: "urn:x:old", when: new Date("2026-11-01T00:00:00.000Z") },
      { slug: "new", id: "urn:x:new", when: new Date("2026-11-02T00:00:00.000Z"), title: "New", categories: ["Cyber"], authors: ["Kim Min-ji"], language: "en" },
      { slug: "odd", id: "urn:x:odd", when: new Date("2026-11-03T00:00:00.000Z") },
    ]);
    // Round trip: the stored text parses back to the same tombstones, old ones staying without scopes.
    expect(parseTombstones(JSON.parse(serialiseTombstones(parsed))).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
      [...parsed].sort((a, b) => a.slug.localeCompare(b.slug)),
    );
  });

  it("a repeated id counts once, the latest withdrawal, whatever the order given", () => {
    const early = { slug: "a", id: "urn:x:1", when: new Date("2026-11-01T00:00:00Z") };
    const late = { slug: "a", id: "urn:x:1", when: new Date("2026-11-05T00:00:00Z") };
    expect(latestPerId([early, late])).toEqual([late]);
    expect(latestPerId([late, early])).toEqual([late]);
    expect(memoryCatalog([], [], [early, late]).tombstones).toEqual([late]);
    expect(memoryCatalog([], [], [late, early]).tombstones).toEqual([late]);
  });
});
