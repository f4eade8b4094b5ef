/**
 * Withdrawals and duplicate ids on the real Node server, over a socket: a
 * record that reuses a live article's id is refused (at start-up, from the
 * watcher, through the API), a withdrawn article's URL answers 410, and a
 * scope whose last article is withdrawn keeps its feeds with the tombstone.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { httpGet, startServer, type RunningServer } from "../support/server.js";
import { children, parseXml } from "../support/xml.js";

const SITE_URL = "https://wire.example/";
const TOKEN = "test-token-withdrawals";
// The repository's site.config.json: idDomain wirefeed.example, time zone Asia/Tokyo.
const SEOUL_ID = "tag:wirefeed.example,2022-06-29:seoul-drill";
const SEOUL = record({ title: "Seoul joins drill", published: "2022-06-29T10:00:00+09:00", categories: ["Cyber", "Security"], authors: ["Kim Min-ji"] });
const OTHER = record({ title: "Other story", published: "2022-06-30T10:00:00+09:00", categories: ["Security"] });

const servers: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function site(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-withdrawals-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function serve(dir: string): Promise<RunningServer> {
  const server = await startServer({ ITEMS_DIR: dir, SITE_URL, PUBLISH_TOKEN: TOKEN });
  servers.push(server);
  return server;
}

const get = async (s: RunningServer, path: string, accept?: string) => {
  const res = await httpGet(s.base, path, accept ? { headers: { Accept: accept } } : {});
  return { status: res.status, type: String(res.headers["content-type"]), text: res.body.toString() };
};

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() - start > ms) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const atomIds = (xml: string) => children(parseXml(xml), "entry").map((e) => children(e, "id")[0]!.text);
const tombstoneRefs = (xml: string) => children(parseXml(xml), "at:deleted-entry").map((d) => d.attrs.ref);

describe("a record reusing a live article's id", () => {
  it("at start-up: the article the id was made for keeps it; the copy is left out and logged naming both files", async () => {
    // "dup-id.md" sorts first and has the same date: name order alone would hand it the id.
    const dir = site({ "seoul-drill.md": SEOUL, "dup-id.md": record({ title: "Copy", id: SEOUL_ID, published: "2022-06-29T10:00:00+09:00" }) });
    const s = await serve(dir);
    expect((await get(s, "/items/seoul-drill")).status).toBe(200);
    expect((await get(s, "/items/dup-id")).status).toBe(404);
    const atom = (await get(s, "/atom.xml")).text;
    expect(atomIds(atom)).toEqual([SEOUL_ID]);
    expect(atom).toContain("Seoul joins drill");
    expect(s.stderr()).toContain(`skipped record: ${dir}/dup-id.md: id: "${SEOUL_ID}" is already used by ${dir}/seoul-drill.md`);
  });

  it("from the watcher: a newcomer carrying a held id is refused, even one sorting first and dated earlier, and logged once", async () => {
    const dir = site({ "seoul-drill.md": SEOUL });
    const s = await serve(dir);
    const copy = record({ title: "Copy", id: SEOUL_ID, published: "2022-06-01T10:00:00+09:00" });
    writeFileSync(join(dir, ".aaa.tmp"), copy);
    renameSync(join(dir, ".aaa.tmp"), join(dir, "aaa.md"));
    const message = `record refused: ${dir}/aaa.md: id: "${SEOUL_ID}" is already used by ${dir}/seoul-drill.md`;
    await eventually(async () => s.stderr(), (e) => e.includes(message));
    expect(s.stderr()).toContain(message);
    expect(s.stderr().split(message).length - 1).toBe(1);
    expect((await get(s, "/items/seoul-drill")).status).toBe(200);
    expect((await get(s, "/items/aaa")).status).toBe(404);
    expect(atomIds((await get(s, "/atom.xml")).text)).toEqual([SEOUL_ID]);
  });

  it("through the API: 409 naming the holder, and nothing is written", async () => {
    const dir = site({ "seoul-drill.md": SEOUL });
    const s = await serve(dir);
    const res = await fetch(`${s.base}/api/items/dup-id`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Copy", id: SEOUL_ID, published: "2022-06-29", body: "Text." }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      errors: [{ field: "id", message: `"${SEOUL_ID}" is already used by ${dir}/seoul-drill.md` }],
      holder: { slug: "seoul-drill", url: `${SITE_URL}items/seoul-drill` },
    });
    expect(existsSync(join(dir, "dup-id.md"))).toBe(false);
    // The holder itself may still be replaced.
    const own = await fetch(`${s.base}/api/items/seoul-drill`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Seoul joins drill (corrected)", id: SEOUL_ID, published: "2022-06-29T10:00:00+09:00", body: "Text." }),
    });
    expect(own.status).toBe(200);
  });
});

describe("a withdrawn article", () => {
  it("its URL answers 410 in the format asked for, saying when; its scopes keep their feeds with the tombstone, after a restart too", async () => {
    const dir = site({ "seoul-drill.md": SEOUL, "other.md": OTHER });
    let s = await serve(dir);
    const del = await fetch(`${s.base}/api/items/seoul-drill`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(del.status).toBe(204);
    const stored = JSON.parse(readFileSync(join(dir, ".tombstones.json"), "utf8")) as { when: string }[];
    const when = stored[0]!.when;

    for (let round = 0; round < 2; round++) {
      const html = await get(s, "/items/seoul-drill", "text/html");
      expect(html.status).toBe(410);
      expect(html.type).toBe("text/html; charset=utf-8");
      expect(html.text).toContain("<h1>Withdrawn</h1>");
      expect(html.text).toContain(`The article “<bdi>Seoul joins drill</bdi>” was withdrawn on <time datetime="${when}">`);
      expect(await get(s, "/items/seoul-drill", "application/json")).toEqual({ status: 410, type: "application/json; charset=utf-8", text: `{"error":"gone","withdrawn":"${when}"}\n` });
      expect(await get(s, "/items/seoul-drill", "text/plain")).toEqual({ status: 410, type: "text/plain; charset=utf-8", text: `Gone: withdrawn on ${when}\n` });
      expect((await get(s, "/items/seoul-drill", "application/xml")).status).toBe(410);
      expect((await get(s, "/items/never-was")).status).toBe(404);

      // Its last category and its author: feeds still there, empty, the Atom one announcing the withdrawal.
      for (const scope of ["categories/cyber/", "authors/kim-min-ji/"]) {
        const atom = await get(s, `/${scope}atom.xml`);
        expect([scope, atom.status]).toEqual([scope, 200]);
        expect(atomIds(atom.text)).toEqual([]);
        expect(tombstoneRefs(atom.text)).toEqual([SEOUL_ID]);
        expect((await get(s, `/${scope}rss.xml`)).status).toBe(200);
        expect(JSON.parse((await get(s, `/${scope}feed.json`)).text).items).toEqual([]);
        expect((await get(s, `/${scope}`)).status).toBe(200);
      }
      // A category that still has articles carries the tombstone beside them; one it was never in does not.
      const security = (await get(s, "/categories/security/atom.xml")).text;
      expect(atomIds(security)).toEqual(["tag:wirefeed.example,2022-06-30:other"]);
      expect(tombstoneRefs(security)).toEqual([SEOUL_ID]);
      expect(tombstoneRefs((await get(s, "/atom.xml")).text)).toEqual([SEOUL_ID]);
      expect((await get(s, "/categories/nothing-here/atom.xml")).status).toBe(404);

      await s.stop();
      servers.splice(servers.indexOf(s), 1);
      s = await serve(dir);
    }
  });

  it("tombstones stored before they kept scopes still load: announced site-wide, and the URL answers 410", async () => {
    const when = "2026-11-01T00:00:00.000Z";
    const dir = site({ "other.md": OTHER, ".tombstones.json": JSON.stringify([{ slug: "old-story", id: "tag:wirefeed.example,2022-06-01:old-story", when }]) });
    const s = await serve(dir);
    expect(tombstoneRefs((await get(s, "/atom.xml")).text)).toEqual(["tag:wirefeed.example,2022-06-01:old-story"]);
    expect(tombstoneRefs((await get(s, "/categories/security/atom.xml")).text)).toEqual([]);
    const html = await get(s, "/items/old-story", "text/html");
    expect(html.status).toBe(410);
    expect(html.text).toContain(`The article at this address was withdrawn on <time datetime="${when}">`);
  });
});
