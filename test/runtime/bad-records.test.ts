/**
 * Bad records never take the site down: the real entry point over a
 * directory full of broken, empty, binary and huge files logs each one with
 * file, line (where there is one) and field, and serves the rest.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RECORD_BYTES } from "../../src/core/record.js";
import { record } from "../support/fixtures.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";

const good = (slug: string, title: string) => record({ title, published: "2022-07-01T09:00:00+09:00" }, `Story ${title}.`);

/** file name → content, and the log line each must produce. */
const BAD: [string, string | Buffer, RegExp][] = [
  ["empty.md", "", /empty\.md: \(file\): is empty/],
  ["blank.md", "  \n\n\t\n", /blank\.md: \(file\): is empty/],
  ["binary.md", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]), /binary\.md: \(file\): is binary/],
  ["latin1.md", Buffer.from("---\ntitle: caf\xe9\n---\nbody\n", "latin1"), /latin1\.md: \(file\): is not valid UTF-8 text/],
  ["huge.md", Buffer.concat([Buffer.from(good("huge", "Huge")), Buffer.alloc(2 * MAX_RECORD_BYTES, "x")]), /huge\.md: \(file\): is larger than the limit of 1048576 bytes/],
  ["no-front-matter.md", "Just text, no front matter.\n", /no-front-matter\.md:1: front matter: must start the file with a line "---"/],
  ["unclosed.md", "---\ntitle: x\npublished: 2022-06-29\n", /unclosed\.md:1: front matter: is not closed by a line "---"/],
  ["bad-yaml.md", '---\ntitle: "ok"\npublished: 2022-06-29\ncategories: [a, b\n---\nbody\n', /bad-yaml\.md:5: front matter: is not valid YAML/],
  ["bad-date.md", record({ title: "Bad date", published: "29/06/2022" }), /bad-date\.md:3: published: /],
  ["typo.md", record({ title: "Typo", published: "2022-06-29", catgories: ["x"] }), /typo\.md:4: catgories: unknown field \(did you mean "categories"\?\)/],
  ["no-title.md", record({ published: "2022-06-29" }), /no-title\.md: title: is required/],
  ["bad-enclosure.md", record({ title: "E", published: "2022-06-29", enclosures: [{ url: "javascript:x", type: "audio/mpeg" }] }), /bad-enclosure\.md:4: enclosures\[0\]\.url: "javascript:x" is not an http\(s\) URL/],
  ["no-body.md", "---\ntitle: t\npublished: 2022-06-29\n---\n\n", /no-body\.md:5: body: is empty/],
  ["Bad_Name.md", good("x", "Bad name"), /Bad_Name\.md: slug: "Bad_Name" must be lower-case/],
  // A 40,000-character field name once stopped the server: the line finder built a RegExp of it that V8 refuses.
  ["long-key.md", `---\ntitle: t\npublished: 2022-06-29\n${"k".repeat(40_000)}: 1\n---\nbody\n`, /long-key\.md:4: k{24}…: field name is 40000 characters long; the limit is 64/],
  [`${"a".repeat(200)}.md`, good("a", "Long slug"), /a{200}\.md: slug: is 200 characters long; the limit is 128/],
  ["year-0022.md", record({ title: "Year 22", published: "0022-06-29" }), /year-0022\.md:3: published: "0022-06-29" is in the year 22: years must be 1900–9999/],
  ["year-10000.md", record({ title: "Year 10000", published: "9999-12-31T23:59:59-23:59" }), /year-10000\.md:3: published: .* is in the year 10000 in UTC/],
  ["many-categories.md", record({ title: "Many", published: "2022-06-29", categories: Array.from({ length: 20_000 }, (_, i) => `C${i}`) }), /many-categories\.md:4: categories: has 20000 entries; the limit is 100/],
  ["deep-yaml.md", `---\ntitle: t\npublished: 2022-06-29\nc: ${"[".repeat(300_000)}\n---\nbody\n`, /deep-yaml\.md: front matter: is not valid YAML: nested too deeply/],
  // Bodies that cannot be rendered within the limits (README: limits of a record body): refused when read, never a 500 later.
  ["deep-quote.md", record({ title: "Deep quote", published: "2022-06-29" }, `${"> ".repeat(3000)}x`), /deep-quote\.md:6: body: nests deeper than 64 levels/],
  ["deep-html.md", record({ title: "Deep HTML", published: "2022-06-29" }, `${"<div>".repeat(20_000)}x`), /deep-html\.md:6: body: nests deeper than 64 levels/],
  ["deep-list.md", record({ title: "Deep list", published: "2022-06-29" }, `${"<ul><li>".repeat(5000)}x`), /deep-list\.md:6: body: nests deeper than 64 levels/],
  ["wide-table.md", record({ title: "Wide table", published: "2022-06-29" }, `${"|a".repeat(2000)}\n${"|-".repeat(2000)}\n${"x\n".repeat(1000)}`), /wide-table\.md:6: body: has a table of more than 100000 cells/],
];

let server: RunningServer;
let dir: string;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "wirefeed-bad-"));
  dir = join(root, "items");
  mkdirSync(dir);
  copySamples(dir);
  writeFileSync(join(dir, "extra-good.md"), good("extra-good", "Extra good"));
  for (const [name, content] of BAD) writeFileSync(join(dir, name), content);
  // Not records at all: never read, never logged.
  writeFileSync(join(root, "outside.md"), good("outside", "Outside"));
  symlinkSync(join(root, "outside.md"), join(dir, "link.md"));
  execFileSync("mkfifo", [join(dir, "fifo.md")]);
  mkdirSync(join(dir, "folder.md"));
  server = await startServer({ ITEMS_DIR: dir, SITE_URL: "https://wire.example/" });
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("a directory of bad records", () => {
  it.each(BAD.map(([name, , pattern]) => [name, pattern] as const))("%s is logged with file, line and field", (_name, pattern) => {
    const line = server.stderr().split("\n").find((l) => pattern.test(l));
    expect(line, server.stderr()).toBeDefined();
    // Each line names the file by its path in the items directory.
    expect(line).toContain(`skipped record: ${dir}/`);
  });

  it("the start-up line counts them, and nothing outside items/ or not a file is touched", () => {
    expect(server.stdout()).toMatch(new RegExp(`wirefeed: ${SAMPLE_RECORDS.length + 1} articles, ${BAD.length} skipped;`));
    expect(server.stderr()).not.toMatch(/link\.md|fifo\.md|folder\.md|outside/);
  });

  it("serves every good record in every feed and as a page; the bad ones are 404", async () => {
    const rss = (await httpGet(server.base, "/rss.xml")).body.toString();
    const atom = (await httpGet(server.base, "/atom.xml")).body.toString();
    const json = JSON.parse((await httpGet(server.base, "/feed.json")).body.toString());
    expect(rss.match(/<item>/g)).toHaveLength(SAMPLE_RECORDS.length + 1);
    expect(atom.match(/<entry[\s>]/g)).toHaveLength(SAMPLE_RECORDS.length + 1);
    expect(json.items).toHaveLength(SAMPLE_RECORDS.length + 1);
    for (const slug of [...SAMPLE_RECORDS.map((f) => f.slice(0, -3)), "extra-good"]) {
      expect((await httpGet(server.base, `/items/${slug}`)).status, slug).toBe(200);
    }
    for (const slug of ["huge", "no-title", "typo", "outside", "link"]) {
      expect((await httpGet(server.base, `/items/${slug}`)).status, slug).toBe(404);
    }
  });
});
