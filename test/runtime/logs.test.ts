/**
 * What the Node server logs, through the real entry point over a socket: one
 * access-log line per request (both the fast path and the app), one line per
 * content change (publish API or a file in items/) and per refused record,
 * and at start-up whether the publish API is on.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { record, TEST_SITE_CONFIG } from "../support/fixtures.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";

const TOKEN = "log-test-token";
const running: RunningServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

function site(items: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-logs-"));
  const config = join(dir, "site.config.json");
  writeFileSync(config, JSON.stringify(TEST_SITE_CONFIG));
  const itemsDir = join(dir, "items");
  mkdirSync(itemsDir);
  for (const [name, text] of Object.entries(items)) writeFileSync(join(itemsDir, name), text);
  return { config, itemsDir };
}


async function until(read: () => string, pattern: RegExp, ms = 5_000): Promise<RegExpExecArray> {
  const start = Date.now();
  for (;;) {
    const m = pattern.exec(read());
    if (m) return m;
    if (Date.now() - start > ms) throw new Error(`no ${pattern} within ${ms} ms in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const STORY = record({ title: "Harbour reopens", published: "2022-06-29T09:00:00+09:00" });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** An access line with the time of day and the duration left open. */
const accessLine = (request: string, status: number, bytes: string, referer: string, agent: string) =>
  new RegExp(`^127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] ${escape(`"${request}" ${status} ${bytes} ${referer} ${agent}`)} \\d+\\.\\dms$`, "m");

describe("access log", () => {
  it("one line per request on stdout, the fast path included, in Combined Log Format plus milliseconds", async () => {
    const { config, itemsDir } = site({ "harbour.md": STORY });
    const server = await startServer({ WIREFEED_CONFIG: config, ITEMS_DIR: itemsDir, SITE_URL: "https://wire.example/" });
    running.push(server);
    const agent = { "User-Agent": 'Reader/1.0 "quoted"\\x' };
    const first = await httpGet(server.base, "/rss.xml", { headers: agent });
    // Made once: the second answer comes from the Node fast path, which never reaches the app.
    const second = await httpGet(server.base, "/rss.xml", { headers: { ...agent, Referer: "https://ref.example/a b" } });
    expect(second.body).toEqual(first.body);
    await httpGet(server.base, "/rss.xml", { method: "HEAD", headers: { "User-Agent": "r" } });
    await httpGet(server.base, "/rss.xml", { headers: { "If-None-Match": String(first.headers.etag), "User-Agent": "r" } });
    await httpGet(server.base, "/nope?x=1");

    const size = String(first.body.length);
    const out = () => server.stdout();
    await until(out, /GET \/nope\?x=1/);
    const lines = out().split("\n").filter((l) => l.startsWith("127.0.0.1 "));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(accessLine("GET /rss.xml HTTP/1.1", 200, size, '"-"', '"Reader/1.0 \\"quoted\\"\\\\x"'));
    expect(lines[1]).toMatch(accessLine("GET /rss.xml HTTP/1.1", 200, size, '"https://ref.example/a b"', '"Reader/1.0 \\"quoted\\"\\\\x"'));
    expect(lines[2]).toMatch(accessLine("HEAD /rss.xml HTTP/1.1", 200, "-", '"-"', '"r"'));
    expect(lines[3]).toMatch(accessLine("GET /rss.xml HTTP/1.1", 304, "-", '"-"', '"r"'));
    expect(lines[4]).toMatch(accessLine("GET /nope?x=1 HTTP/1.1", 404, "10", '"-"', '"-"'));
    expect(out()).toContain("\nwirefeed: access log on (stdout; ACCESS_LOG=off to turn it off)");
  });

  it("ACCESS_LOG=off turns it off", async () => {
    const { config, itemsDir } = site({ "harbour.md": STORY });
    const server = await startServer({ WIREFEED_CONFIG: config, ITEMS_DIR: itemsDir, SITE_URL: "https://wire.example/", ACCESS_LOG: "off" });
    running.push(server);
    for (let i = 0; i < 3; i++) expect((await httpGet(server.base, "/rss.xml")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.stdout()).not.toMatch(/^127\.0\.0\.1 /m);
    expect(server.stdout()).toContain("wirefeed: access log off (ACCESS_LOG)");
  });
});

describe("content changes and refused records", () => {
  it("says at start-up that the publish API is on, and logs each publish, edit and delete through it", async () => {
    const { config, itemsDir } = site();
    const server = await startServer({ WIREFEED_CONFIG: config, ITEMS_DIR: itemsDir, SITE_URL: "https://wire.example/", PUBLISH_TOKEN: TOKEN, ACCESS_LOG: "off" });
    running.push(server);
    await until(server.stdout, /^wirefeed: access log/m);
    expect(server.stdout()).toContain("wirefeed: publish API on (PUBLISH_TOKEN is set): PUT and DELETE https://wire.example/api/items/<slug>\n");
    const put = (title: string) =>
      fetch(`${server.base}/api/items/harbour`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ title, published: "2022-06-29T09:00:00+09:00", body: "Text." }),
      });
    expect((await put("Harbour reopens")).status).toBe(201);
    expect((await put("Harbour reopens, ships queue")).status).toBe(200);
    expect((await fetch(`${server.base}/api/items/harbour`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(204);
    const file = `${itemsDir}/harbour.md`;
    await until(server.stderr, /^deleted:/m);
    const lines = server.stderr().split("\n").filter((l) => /^(published|updated|deleted):/.test(l));
    expect(lines).toEqual([`published: ${file} (/items/harbour)`, `updated: ${file} (/items/harbour)`, `deleted: ${file} (/items/harbour; tombstone kept)`]);
  });

  it("logs changes made in items/, and a brand-new broken file as skipped, not as keeping a last good version", async () => {
    const { config, itemsDir } = site({ "harbour.md": STORY });
    const server = await startServer({ WIREFEED_CONFIG: config, ITEMS_DIR: itemsDir, SITE_URL: "https://wire.example/", ACCESS_LOG: "off" });
    running.push(server);
    await until(server.stdout, /^wirefeed: access log/m);
    expect(server.stdout()).not.toContain("publish API on");
    const err = () => server.stderr();

    writeFileSync(join(itemsDir, "rail.md"), record({ title: "Rail strike ends", published: "2022-06-30T09:00:00+09:00" }));
    await until(err, /^published: .*\/rail\.md \(\/items\/rail\)$/m);

    writeFileSync(join(itemsDir, "fresh-broken.md"), record({ published: "2022-06-30" }));
    await until(err, /fresh-broken\.md/);
    expect(err()).toContain(`skipped record: ${itemsDir}/fresh-broken.md: title: is required\n`);
    expect(err()).not.toMatch(/keeping the last good version.*fresh-broken/);
    // The same broken bytes written again are the same refusal: one line per version of the file.
    writeFileSync(join(itemsDir, "fresh-broken.md"), record({ published: "2022-06-30" }));
    writeFileSync(join(itemsDir, "rail.md"), record({ title: "Rail strike ends", published: "2022-06-30T09:00:00+09:00" }, "Edited."));
    await until(err, /^updated: .*\/rail\.md/m);
    expect(err().split("fresh-broken.md").length - 1).toBe(1);

    writeFileSync(join(itemsDir, "harbour.md"), record({ published: "2022-06-29" }));
    await until(err, /harbour\.md: title/);
    expect(err()).toContain(`record not updated (keeping the last good version): ${itemsDir}/harbour.md: title: is required\n`);
    expect((await httpGet(server.base, "/items/harbour")).status).toBe(200);

    rmSync(join(itemsDir, "rail.md"));
    await until(err, /^deleted: .*\/rail\.md/m);
    expect(err()).toContain(`deleted: ${itemsDir}/rail.md (/items/rail; tombstone kept)\n`);
  });
});
