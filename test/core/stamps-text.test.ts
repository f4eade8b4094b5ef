import { describe, expect, it } from "vitest";
import { emptyStamps, parseStamps, serialiseStamps, StampsError, type StampState } from "../../src/core/change-stamps.js";
import { parseStampsText } from "../../src/core/stamps-text.js";

const T1 = new Date("2026-01-01T00:00:00.000Z");
const T2 = new Date("2026-02-01T12:30:00.250Z");

function state(): StampState {
  const s = emptyStamps();
  s.records.set("a.md", { sha: "q1+/abc=", changed: T1, listed: T1, scopes: ["/", "/categories/alpha/"], position: "2022-01-01T00:00:00.000Z|" });
  s.records.set("b.md", { sha: "zz9=", changed: T2, listed: T1, scopes: ["/", "/categories/alpha/"], position: "2022-01-02T00:00:00.000Z|2022-02-02T00:00:00.000Z" });
  s.records.set("c-ünïcode.md", { sha: "cc", changed: T2, listed: T2, scopes: ["/", "/authors/zoë/", "/languages/de/"], position: "2022-01-03T00:00:00.000Z|" });
  s.left.set("/categories/beta/", T2);
  s.left.set("/", T1);
  return s;
}

/** What the general path makes of a text: the state, or the error it throws. */
function general(text: string): StampState | Error {
  try {
    return parseStamps(JSON.parse(text), "f");
  } catch (error) {
    return error as Error;
  }
}

function fast(text: string): StampState | Error {
  try {
    return parseStampsText(text, "f");
  } catch (error) {
    return error as Error;
  }
}

describe("parseStampsText", () => {
  it("reads what serialiseStamps wrote as JSON.parse and parseStamps do, sharing equal scopes arrays", () => {
    const text = serialiseStamps(state());
    const read = parseStampsText(text, "f");
    expect(read).toEqual(general(text));
    expect(serialiseStamps(read)).toBe(text);
    // One array for records in the same scopes, and one Date where listed is changed: what makes it cheap.
    expect(read.records.get("a.md")!.scopes).toBe(read.records.get("b.md")!.scopes);
    expect(read.records.get("a.md")!.listed).toBe(read.records.get("a.md")!.changed);
    expect(read.records.get("b.md")!.listed).not.toBe(read.records.get("b.md")!.changed);
  });

  it("reads an empty state, and one with records but nothing left", () => {
    for (const s of [emptyStamps(), { ...state(), left: new Map() }, { records: new Map(), left: state().left }]) {
      const text = serialiseStamps(s);
      expect(parseStampsText(text, "f")).toEqual(s);
    }
  });

  it("gives what the general parser gives for any text not in the written layout", () => {
    const text = serialiseStamps(state());
    const variants = [
      JSON.stringify(JSON.parse(text)),
      JSON.stringify(JSON.parse(text), null, 1),
      text.replace('"a.md"', '"a\\u002emd"'),
      text.replace('"a.md"', '"a\\"md"'),
      text.replace('{"sha":"q1+/abc="', '{"sha":"q1+/abc=","extra":1'),
      text.replace('"changed":"2026-01-01T00:00:00.000Z"', '"changed":"soon"'),
      text.replace('"scopes":["/","/authors/zoë/"', '"scopes":["/",7'),
      text.replace('"/categories/alpha/"]', '"/categories/al]pha/"]'),
      text.replace('"position":"2022-01-03T00:00:00.000Z|"', '"position":3'),
      text.replace('"/categories/beta/": "2026-02-01T12:30:00.250Z"', '"/categories/beta/": "later"'),
      text.replace("},\n    \"b.md\"", "}\n    \"b.md\""),
      text.replace("\n  },\n  \"left\"", ",\n  },\n  \"left\""),
      text.replace('"format": 1', '"format": 2'),
      text.replace("\n", "\r\n"),
      text.slice(0, -3),
      `${text.slice(0, text.lastIndexOf("}"))}, "more": 1}\n`,
      text.replace('"b.md"', '"a.md"'),
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(text);
      const want = general(variant);
      const got = fast(variant);
      if (want instanceof Error) {
        expect(got).toBeInstanceOf(want.constructor);
        expect((got as Error).message).toBe(want.message);
      } else expect(got).toEqual(want);
    }
    expect(fast(text.replace('"changed":"2026-01-01T00:00:00.000Z"', '"changed":"soon"'))).toBeInstanceOf(StampsError);
  });
});
