import { existsSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SiteConfig } from "../../src/core/config.js";
import { parseRecord } from "../../src/core/record.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { createNodeSite } from "../../src/runtime/node-site.js";
import { parseFingerprint } from "../../src/runtime/parser-fingerprint.js";
import { PARSE_INDEX_FILE, ParseIndex } from "../../src/storage/parse-index.js";
import { record, testSite } from "../support/fixtures.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";

const site = testSite();
const opened: LiveCatalog[] = [];
afterEach(() => {
  for (const l of opened.splice(0)) l.close();
});

/** Well after the files' last change: their stamps are settled (see RACY_NS). */
const later = () => Date.now() + 60_000;

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), "wirefeed-index-"));
  writeFileSync(join(d, "a.md"), record({ title: "Alpha", published: "2022-01-01T00:00:00Z" }, "Some *body* with a [link](https://example.com/x)."));
  writeFileSync(join(d, "b.md"), record({ title: "Beta", published: "2022-01-02T00:00:00Z", categories: ["Energy"] }));
  writeFileSync(join(d, "c.md"), record({ title: "Draft", published: "2022-01-03T00:00:00Z", draft: true }));
  return d;
}

/** Opens `d` with a parse index and a parse function that counts what it parses. */
async function open(d: string, options: { site?: SiteConfig; log?: string[]; nowMs?: () => number; index?: false } = {}) {
  const parsed: string[] = [];
  const s = options.site ?? site;
  const log = (m: string) => options.log?.push(m);
  const index = options.index === false ? undefined : ParseIndex.open(join(d, PARSE_INDEX_FILE), parseFingerprint(s), log, { nowMs: options.nowMs ?? later });
  const parse = async (file: string, input: string | Uint8Array, s2: SiteConfig) => {
    parsed.push(file.slice(file.lastIndexOf("/") + 1));
    return parseRecord(file, input, s2);
  };
  const live = await LiveCatalog.open(d, s, { label: "items", log, parse, ...(index ? { index } : {}), now: () => new Date("2026-11-27T12:00:00Z") });
  opened.push(live);
  return { live, parsed: parsed.sort() };
}

async function reopen(d: string, options: Parameters<typeof open>[1] = {}) {
  opened.splice(0).forEach((l) => l.close());
  return open(d, options);
}

describe("the parse index", () => {
  it("a restart over an unchanged folder parses nothing and gives exactly the catalog a full parse gives", async () => {
    const d = folder();
    const first = await open(d);
    expect(first.parsed).toEqual(["a.md", "b.md", "c.md"]);
    expect(existsSync(join(d, PARSE_INDEX_FILE))).toBe(true);
    const again = await reopen(d);
    expect(again.parsed).toEqual([]);
    expect(again.live.startStats).toEqual({ reused: 3, parsed: 0 });
    const full = await open(d, { index: false });
    expect(full.parsed).toEqual(["a.md", "b.md", "c.md"]);
    expect(again.live.current().entries).toStrictEqual(full.live.current().entries);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Beta", "Alpha"]);
  });

  it("an edit of the same size whose mtime is put back is parsed again (ctime moved)", async () => {
    const d = folder();
    await open(d);
    const path = join(d, "a.md");
    // A whole second, so that putting it back is exact.
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    opened.splice(0).forEach((l) => l.close());
    expect((await open(d)).parsed).toEqual([]);
    const before = statSync(path);
    writeFileSync(path, readFileSync(path, "utf8").replace("Alpha", "Omega"));
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(statSync(path).size).toBe(before.size);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    const again = await reopen(d);
    expect(again.parsed).toEqual(["a.md"]);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Beta", "Omega"]);
  });

  it("the same bytes under a new stamp (touched, copied) are checked by digest, not parsed", async () => {
    const d = folder();
    await open(d);
    utimesSync(join(d, "b.md"), new Date("2030-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"));
    const again = await reopen(d);
    expect(again.parsed).toEqual([]);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Beta", "Alpha"]);
  });

  it("a stamp too fresh to prove anything is trusted only after the bytes' digest is checked", async () => {
    const d = folder();
    // A clock at the files' own time: every stamp is racy, so nothing is taken on its stamp alone.
    await open(d, { nowMs: () => Date.now() });
    writeFileSync(join(d, "b.md"), record({ title: "Gamma", published: "2022-01-02T00:00:00Z" }));
    const again = await reopen(d, { nowMs: () => Date.now() });
    expect(again.parsed).toEqual(["b.md"]);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Gamma", "Alpha"]);
  });

  it("another site config parses everything again, and says why", async () => {
    const d = folder();
    await open(d);
    const log: string[] = [];
    const other = testSite({ title: "Another title" });
    const again = await reopen(d, { site: other, log });
    expect(again.parsed).toEqual(["a.md", "b.md", "c.md"]);
    expect(log.some((m) => /parser or site config changed/.test(m))).toBe(true);
    // And the new config's results are what the index holds now.
    expect((await reopen(d, { site: other })).parsed).toEqual([]);
  });

  it("a second server with another config on the same folder takes the index over, and the first never serves its rows", async () => {
    const d = folder();
    const first = await open(d);
    const elsewhere = testSite({ baseUrl: "https://elsewhere.example/" });
    const log: string[] = [];
    const second = await open(d, { site: elsewhere, log });
    expect(second.parsed).toEqual(["a.md", "b.md", "c.md"]);
    // The first one's articles are read when shown: not from rows made for the other config (same bytes, other URLs).
    for (const entry of first.live.current().entries) {
      const article = await first.live.current().load(entry);
      expect(article.url).toBe(entry.url);
      expect(article.url.startsWith(site.baseUrl)).toBe(true);
    }
    for (const entry of second.live.current().entries) expect((await second.live.current().load(entry)).url.startsWith("https://elsewhere.example/")).toBe(true);
  });

  it("the fingerprint moves with the config and stays put without a change", () => {
    expect(parseFingerprint(testSite())).toBe(parseFingerprint(testSite()));
    expect(parseFingerprint(testSite({ baseUrl: "https://elsewhere.example/" }))).not.toBe(parseFingerprint(testSite()));
  });

  it("a corrupt index file means a full parse, a log line, and a fresh index", async () => {
    const d = folder();
    await open(d);
    opened.splice(0).forEach((l) => l.close());
    writeFileSync(join(d, PARSE_INDEX_FILE), "this is not a database ".repeat(500));
    const log: string[] = [];
    const again = await open(d, { log });
    expect(again.parsed).toEqual(["a.md", "b.md", "c.md"]);
    expect(log.some((m) => /parse index .* unusable .*every record is parsed/.test(m))).toBe(true);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Beta", "Alpha"]);
    expect((await reopen(d)).parsed).toEqual([]);
  });

  it("an index that cannot be created leaves the site parsing every record, logged", async () => {
    const d = folder();
    const log: string[] = [];
    const index = ParseIndex.open(join(d, "no-such-dir", PARSE_INDEX_FILE), "x", (m) => log.push(m));
    expect(index).toBeUndefined();
    expect(log.some((m) => /cannot be created/.test(m))).toBe(true);
  });

  it("a record changed, added or deleted while the server was down is what the restart serves", async () => {
    const d = folder();
    await open(d);
    writeFileSync(join(d, "b.md"), record({ title: "Beta, corrected", published: "2022-01-02T00:00:00Z" }));
    writeFileSync(join(d, "d.md"), record({ title: "Delta", published: "2022-01-04T00:00:00Z" }));
    const { rmSync } = await import("node:fs");
    rmSync(join(d, "a.md"));
    const again = await reopen(d);
    expect(again.parsed).toEqual(["b.md", "d.md"]);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Delta", "Beta, corrected"]);
    // a.md back with other bytes: its old row is gone, so it is parsed.
    writeFileSync(join(d, "a.md"), record({ title: "Alpha again", published: "2022-01-01T00:00:00Z" }));
    expect((await reopen(d)).parsed).toEqual(["a.md"]);
  });

  it("a record published through the API while serving is in the index at the next start", async () => {
    const d = folder();
    const { live } = await open(d);
    await live.put("e", new TextEncoder().encode(record({ title: "Epsilon", published: "2022-01-05T00:00:00Z" })));
    await live.remove("b");
    await live.idle();
    const again = await reopen(d);
    expect(again.parsed).toEqual([]);
    expect(again.live.current().entries.map((e) => e.title)).toEqual(["Epsilon", "Alpha"]);
  });

  it("an invalid record is not kept: it is parsed (and refused) at every start", async () => {
    const d = folder();
    writeFileSync(join(d, "x.md"), record({ published: "2022-01-01T00:00:00Z" }));
    await open(d);
    const again = await reopen(d);
    expect(again.parsed).toEqual(["x.md"]);
    expect(again.live.current().errors.map((e) => e.field)).toEqual(["title"]);
  });
});

describe("the Node site over a parse index", () => {
  const PATHS = ["/rss.xml", "/atom.xml", "/feed.json", "/feeds", "/feeds.opml", `/items/${SAMPLE_RECORDS[0]!.replace(/\.md$/, "")}`];

  async function bodies(items: string, parseIndex?: false): Promise<string[]> {
    const node = await createNodeSite({ configPath: "site.config.json", itemsDir: items, siteUrl: "https://wire.example/", watch: false, log: () => {}, ...(parseIndex === false ? { parseIndex } : {}) });
    try {
      const out: string[] = [];
      for (const path of PATHS) {
        const response = await node.app.fetch(new Request(`https://wire.example${path}`));
        out.push(`${path} ${response.status} ${response.headers.get("etag")} ${response.headers.get("last-modified")}\n${await response.text()}`);
      }
      return out;
    } finally {
      node.live.close();
    }
  }

  it("serves the same bytes after a restart from the index as from a full parse", async () => {
    const items = copySamples();
    const full = await bodies(items, false);
    const first = await bodies(items);
    expect(existsSync(join(items, PARSE_INDEX_FILE))).toBe(true);
    const restarted = await bodies(items);
    expect(first).toEqual(full);
    expect(restarted).toEqual(full);
    expect(full.every((b) => / 200 /.test(b.split("\n")[0]!))).toBe(true);
  });
});
