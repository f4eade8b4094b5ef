/** src/http/access-log.ts: the line format, and what a client sends kept from forging lines or fields. */
import { describe, expect, it } from "vitest";
import { accessLogEnabled, formatAccess, type AccessEntry } from "../../src/http/access-log.js";

const base: AccessEntry = {
  client: "203.0.113.9",
  method: "GET",
  target: "/rss.xml",
  httpVersion: "1.1",
  status: 200,
  bytes: 5123,
  referer: undefined,
  userAgent: "curl/8.5.0",
  started: Date.parse("2026-12-01T18:30:00.250Z"),
  durationMs: 0.44,
};

describe("formatAccess", () => {
  it("Combined Log Format, UTC, then milliseconds", () => {
    expect(formatAccess(base)).toBe('203.0.113.9 - - [01/Dec/2026:18:30:00 +0000] "GET /rss.xml HTTP/1.1" 200 5123 "-" "curl/8.5.0" 0.4ms');
    expect(formatAccess({ ...base, started: Date.parse("2027-01-09T03:04:05Z"), bytes: undefined, status: 304, client: undefined, userAgent: "" })).toBe(
      '- - - [09/Jan/2027:03:04:05 +0000] "GET /rss.xml HTTP/1.1" 304 - "-" "-" 0.4ms',
    );
  });

  it("escapes quotes, backslashes, control and non-ASCII characters in what the client sent", () => {
    const line = formatAccess({ ...base, userAgent: 'a"b\\c\u00e9\r\n1.2.3.4 - - [x] "GET / HTTP/1.1" 200', referer: "\u0000", target: "/a\u0001" });
    expect(line).toContain('"GET /a\\x01 HTTP/1.1"');
    expect(line).toContain('"\\x00" "a\\"b\\\\c\\xe9\\x0d\\x0a1.2.3.4 - - [x] \\"GET / HTTP/1.1\\" 200"');
    expect(line.split("\n")).toHaveLength(1);
  });
});

describe("accessLogEnabled", () => {
  it("on unless turned off", () => {
    for (const on of [undefined, "", "on", "1", "yes"]) expect(accessLogEnabled(on)).toBe(true);
    for (const off of ["off", "OFF", "0", "false", "no", " off "]) expect(accessLogEnabled(off)).toBe(false);
  });
});
