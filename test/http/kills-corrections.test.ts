/**
 * Issue 15 item 2: kills, withdrawals and corrections as wires do them. A
 * DELETE may give a reason: it is the Atom feeds' RFC 6721 at:comment, the
 * JSON Feed's extension and the 410 page's, in every scope that showed the
 * story, on the folder store and on SQLite, and it survives a restart. A
 * correction (`updated` plus `correction:`) shows as such on the page, in
 * JSON-LD and in every feed's content, and keeps the item's id and pubDate.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record.js";
import { createApp, type AppOptions } from "../../src/http/app.js";
import type { Publisher } from "../../src/http/publish-api.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { openNodeSqlStore } from "../../src/storage/sql/node-sql-store.js";
import { record, testSite } from "../support/fixtures.js";
import { child, children, parseXml } from "../support/xml.js";

const site = testSite();
const TOKEN = "kill-token";
const NOW = new Date("2026-11-27T12:00:00Z");
const STORY = { title: "Cabinet meets", published: "2022-06-30T14:20:00+03:00", categories: ["Markets"], authors: ["Huda Al-Saleh"], language: "ar", body: "اجتمع مجلس الوزراء." };
const REASON = "قصة مسحوبة: الخبر غير صحيح <b>&</b>";
const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));

type Store = { name: string; open: (dir: string) => Promise<{ current: AppOptions["catalog"]; publisher: Publisher; close: () => void }> };
const STORES: Store[] = [
  {
    name: "items/ folder",
    open: async (dir) => {
      const live = await LiveCatalog.open(dir, site, { label: "items", log: () => {}, now: () => NOW });
      return { current: () => live.current(), publisher: live, close: () => {} };
    },
  },
  {
    name: "SQLite",
    open: async (dir) => {
      const store = await openNodeSqlStore(join(dir, "wire.db"), site, { now: () => NOW, log: () => {} });
      closers.push(() => store.close());
      return { current: () => store.current(), publisher: store.publisher, close: () => store.close() };
    },
  },
];

async function appOver(store: Store, dir: string) {
  const opened = await store.open(dir);
  const app = createApp({ site, catalog: opened.current, log: () => {}, publish: { token: TOKEN, publisher: opened.publisher } });
  const api = (method: string, path: string, body?: unknown, type = "application/json") =>
    app.request(`/api/items/${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { "Content-Type": type }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  return { app, api, close: opened.close };
}

describe.each(STORES)("a kill with a reason, on the $name store", (store) => {
  it("is the feeds' and the 410 page's in every scope, and after a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefeed-kill-"));
    const first = await appOver(store, dir);
    expect((await first.api("PUT", "cabinet", STORY)).status).toBe(201);
    expect((await first.api("DELETE", "cabinet", { reason: REASON })).status).toBe(204);
    first.close();
    const { app } = await appOver(store, dir);
    for (const scope of ["", "categories/markets/", "authors/huda-al-saleh/", "languages/ar/"]) {
      const atom = parseXml(await (await app.request(`/${scope}atom.xml`)).text());
      const [deleted] = children(atom, "at:deleted-entry");
      expect([scope, deleted?.attrs]).toEqual([scope, { ref: "tag:news.example,2022-06-30:cabinet", when: NOW.toISOString() }]);
      const comment = child(deleted!, "at:comment");
      expect([scope, comment.text, comment.attrs["xml:lang"]]).toEqual([scope, "قصة مسحوبة: الخبر غير صحيح <b>&</b>", "ar"]);
      const json = (await (await app.request(`/${scope}feed.json`)).json()) as { _wirefeed?: { deleted: unknown[] } };
      expect([scope, json._wirefeed?.deleted]).toEqual([scope, [{ id: "tag:news.example,2022-06-30:cabinet", date_deleted: NOW.toISOString(), reason: REASON }]]);
    }
    const gone = await app.request("/items/cabinet", { headers: { accept: "text/html" } });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain(`<p class="kill-reason"><strong>Reason given:</strong> <span lang="ar" dir="rtl">قصة مسحوبة: الخبر غير صحيح &lt;b&gt;&amp;&lt;/b&gt;</span></p>`);
  });

  it("a reason must be text of at most 500 characters; other bodies are refused and nothing is deleted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefeed-kill-"));
    const { app, api } = await appOver(store, dir);
    expect((await api("PUT", "cabinet", STORY)).status).toBe(201);
    const refused = [
      [{ reason: 7 }, 422, "reason"],
      [{ reason: "  " }, 422, "reason"],
      [{ reason: "x".repeat(501) }, 422, "reason"],
      [{ why: "no" }, 422, "why"],
      [["reason"], 422, "(body)"],
    ] as const;
    for (const [body, status, field] of refused) {
      const res = await api("DELETE", "cabinet", body);
      expect([body, res.status]).toEqual([body, status]);
      expect((await res.json()).errors[0].field).toBe(field);
    }
    expect((await api("DELETE", "cabinet", "{not json")).status).toBe(400);
    expect((await api("DELETE", "cabinet", "reason=x", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await app.request("/items/cabinet")).status).toBe(200);
    // No body at all: a withdrawal without a reason, as before.
    expect((await api("DELETE", "cabinet")).status).toBe(204);
    const atom = parseXml(await (await app.request("/atom.xml")).text());
    expect(children(children(atom, "at:deleted-entry")[0]!, "at:comment")).toEqual([]);
  });
});

describe("a correction", () => {
  const original = { title: "Output steady", published: "2022-06-30T09:00:00Z", categories: ["Energy"] };
  const corrected = { ...original, updated: "2022-07-01T08:00:00Z", correction: "An earlier version gave the output as 2.8 million barrels a day." };

  it("needs updated, and is at most 1,000 characters", () => {
    const parse = (fields: Record<string, unknown>) => parseRecord("items/x.md", record(fields), site);
    expect(parse({ ...original, correction: "Fixed." })).toMatchObject({ ok: false, errors: [{ field: "correction", problem: "needs updated: the date-time of the correction" }] });
    expect(parse({ ...corrected, correction: "x".repeat(1001) })).toMatchObject({ ok: false, errors: [{ field: "correction" }] });
    expect(parse({ ...corrected, correction: 3 })).toMatchObject({ ok: false, errors: [{ field: "correction", problem: "must be text (quote it)" }] });
  });

  it("shows as such on the page, in JSON-LD and in every feed's content; the item keeps its id and pubDate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefeed-correction-"));
    const { app, api } = await appOver(STORES[0]!, dir);
    expect((await api("PUT", "output", { ...original, body: "Output held at 2.7 million barrels a day." })).status).toBe(201);
    const before = await (await app.request("/rss.xml")).text();
    expect((await api("PUT", "output", { ...corrected, body: "Output held at 2.7 million barrels a day." })).status).toBe(200);
    const note = "An earlier version gave the output as 2.8 million barrels a day.";

    const page = await (await app.request("/items/output")).text();
    expect(page).toContain(`<p class="correction"><strong>Correction:</strong> ${note}</p>`);
    const ld = JSON.parse(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)![1]!);
    expect(ld.correction).toEqual({ "@type": "CorrectionComment", text: note, datePublished: "2022-07-01T08:00:00.000Z" });

    const rss = await (await app.request("/rss.xml")).text();
    const item = (xml: string) => child(child(parseXml(xml), "channel"), "item");
    expect(child(item(rss), "guid").text).toBe(child(item(before), "guid").text);
    expect(child(item(rss), "pubDate").text).toBe(child(item(before), "pubDate").text);
    expect(child(item(rss), "content:encoded").text).toMatch(new RegExp(`^<p class="correction"><strong>Correction:</strong> ${note}</p>`));
    const atomEntry = child(parseXml(await (await app.request("/atom.xml")).text()), "entry");
    expect(child(atomEntry, "content").text).toContain(`<strong>Correction:</strong> ${note}`);
    expect(child(atomEntry, "updated").text).toBe("2022-07-01T08:00:00.000Z");
    const json = (await (await app.request("/feed.json")).json()) as { items: { content_html: string; date_published: string }[] };
    expect(json.items[0]!.content_html.startsWith(`<p class="correction"><strong>Correction:</strong> ${note}</p>`)).toBe(true);
    expect(json.items[0]!.date_published).toBe("2022-06-30T09:00:00.000Z");
    expect(readFileSync(join(dir, "output.md"), "utf8")).toContain("correction:");
  });
});
