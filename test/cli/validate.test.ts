import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { project, wirefeed } from "./support.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";

/** A project holding copies of the bundled items/. */
function bundled(): string {
  const cwd = project();
  copySamples(join(cwd, "items"));
  return cwd;
}

describe("wirefeed validate", () => {
  it("the bundled records: exit 0, nothing on stdout, a summary on stderr", async () => {
    const cwd = bundled();
    const result = await wirefeed(["validate"], { cwd });
    expect(result).toEqual({
      code: 0,
      stdout: [],
      stderr: [`validate: ${SAMPLE_RECORDS.length} records in items, all valid`],
    });
  });

  it("prints every problem of every record as file:line: field: problem, exit 1", async () => {
    const cwd = project({
      "ok.md": record({ title: "Fine", published: "2022-06-29" }),
      // Three problems in one file: all of them are reported, not just the first.
      "three.md": "---\ntitle: 42\npublished: yesterday\ncatgories: [a]\n---\n\nText.\n",
      "no-body.md": "---\ntitle: T\npublished: 2022-06-29\n---\n",
      "no-front-matter.md": "Just text.\n",
    });
    const result = await wirefeed(["validate", "items"], { cwd });
    expect(result.code).toBe(1);
    expect([...result.stdout].sort()).toEqual([
      "items/no-body.md:5: body: is empty: an article needs text after the front matter",
      "items/no-front-matter.md:1: front matter: must start the file with a line \"---\"",
      "items/three.md:2: title: must be text (quote it)",
      'items/three.md:3: published: "yesterday" is not an ISO 8601 date-time with offset (e.g. 2022-06-29T09:30:00+09:00) or a date (2022-06-29)',
      'items/three.md:4: catgories: unknown field (did you mean "categories"?)',
    ]);
    expect(result.stderr).toEqual(["validate: 4 records in items; 5 problems in 3 files"]);
  });

  it("reports an id used by two records", async () => {
    const id = "tag:news.example,2022:same";
    const cwd = project({
      "a.md": record({ title: "A", published: "2022-06-29", id }),
      "b.md": record({ title: "B", published: "2022-06-29", id }),
    });
    const result = await wirefeed(["validate"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([`items/b.md: id: "${id}" is already used by items/a.md`]);
  });

  it("bodies that cannot be rendered within the limits are problems of the body, with its line", async () => {
    const cwd = project({
      "quotes.md": record({ title: "Quotes", published: "2022-06-29" }, `${"> ".repeat(3000)}x`),
      "divs.md": record({ title: "Divs", published: "2022-06-29" }, `Intro.\n\n${"<div>".repeat(20_000)}x`),
      "fine.md": record({ title: "Fine", published: "2022-06-29" }, `${"> ".repeat(20)}x`),
    });
    const result = await wirefeed(["validate"], { cwd });
    expect(result.code).toBe(1);
    const deep = "body: nests deeper than 64 levels (quotes, lists, emphasis, links or HTML elements inside one another)";
    expect([...result.stdout].sort()).toEqual([`items/divs.md:6: ${deep}`, `items/quotes.md:6: ${deep}`]);
  });

  it("binary and empty files are problems too", async () => {
    const cwd = project({ "bin.md": new Uint8Array([0, 1, 2]), "empty.md": "" });
    const result = await wirefeed(["validate"], { cwd });
    expect(result.code).toBe(1);
    expect([...result.stdout].sort()).toEqual([
      "items/bin.md: (file): is binary (contains NUL bytes), not a text record",
      "items/empty.md: (file): is empty",
    ]);
  });

  it("a folder that does not exist, or two folders: usage error 2", async () => {
    const cwd = project();
    expect(await wirefeed(["validate", "nowhere"], { cwd })).toEqual({
      code: 2,
      stdout: [],
      stderr: ["wirefeed validate: directory nowhere does not exist", 'Run "wirefeed validate --help" for usage.'],
    });
    expect((await wirefeed(["validate", "items", "more"], { cwd })).code).toBe(2);
  });

  it("reads the config named by --config or WIREFEED_CONFIG; none there is a usage error, a bad one exit 1", async () => {
    const cwd = project({ "a.md": record({ title: "A", published: "2022-06-29" }) });
    const elsewhere = project({}, { timeZone: "Mars/Olympus" });
    const missing = await wirefeed(["validate", "--config", "nope.json"], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toBe("wirefeed validate: no site config at nope.json (run in the site's folder, or pass --config)");
    const bad = await wirefeed(["validate"], { cwd, env: { WIREFEED_CONFIG: join(elsewhere, "site.config.json") } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toEqual([`${join(elsewhere, "site.config.json")}: timeZone: "Mars/Olympus" is not an IANA time zone`]);
  });
});
