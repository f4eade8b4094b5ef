import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryCatalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { LiveCatalog } from "../../src/runtime/live-catalog.js";
import { testSite } from "../support/fixtures.js";
import { checkAtom } from "../support/w3c-rules.js";
import { children, parseXml } from "../support/xml.js";

const site = testSite();
const TOKEN = "s3cret-token";

async function setup(maxBodyBytes?: number) {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-api-"));
  const live = await LiveCatalog.open(dir, site, { label: "items", log: () => {}, now: () => new Date("2026-11-27T12:00:00Z") });
  const app = createApp({
    site,
    catalog: () => live.current(),
    log: () => {},
    publish: { token: TOKEN, publisher: live, ...(maxBodyBytes ? { maxBodyBytes } : {}) },
  });
  const put = (slug: string, body: unknown, token = TOKEN) =>
    app.request(`/api/items/${slug}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { dir, live, app, put };
}

const STORY = { title: "Cabinet meets", published: "2022-06-30T14:20:00+03:00", categories: ["Markets"], body: "The cabinet met on Thursday.\n\nIt discussed oil." };

describe("publish API", () => {
  it("is off without a token: every /api path is a 404", async () => {
    const app = createApp({ site, catalog: () => memoryCatalog([]), log: () => {} });
    for (const method of ["GET", "PUT", "DELETE"]) expect((await app.request("/api/items/x", { method })).status).toBe(404);
  });

  it("401 without a token, with a wrong one, or a malformed header", async () => {
    const { app, put } = await setup();
    const noAuth = await app.request("/api/items/x", { method: "PUT", body: JSON.stringify(STORY) });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toBe('Bearer realm="wirefeed"');
    expect((await put("x", STORY, "wrong")).status).toBe(401);
    expect((await put("x", STORY, `${TOKEN}x`)).status).toBe(401);
    const basic = await app.request("/api/items/x", { method: "DELETE", headers: { Authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it("201 on create with Location, 200 on replace; the article is served at once", async () => {
    const { app, put, dir } = await setup();
    const created = await put("cabinet", STORY);
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("https://news.example/items/cabinet");
    expect(await created.json()).toEqual({ slug: "cabinet", url: "https://news.example/items/cabinet", id: "tag:news.example,2022-06-30:cabinet" });
    expect((await app.request("/items/cabinet")).status).toBe(200);
    const replaced = await put("cabinet", { ...STORY, title: "Cabinet meets again" });
    expect(replaced.status).toBe(200);
    expect(await (await app.request("/feed.json")).text()).toContain("Cabinet meets again");
    // What lands on disk is a record like any other, and no temporary file stays behind.
    expect(readdirSync(dir)).toEqual(["cabinet.md"]);
    expect(readFileSync(join(dir, "cabinet.md"), "utf8")).toMatch(/^---\ntitle: Cabinet meets again\n/);
  });

  it("422 with every field error at once", async () => {
    const { put } = await setup();
    const res = await put("bad", { title: "", published: "yesterday", colour: "red", body: "text" });
    expect(res.status).toBe(422);
    const { errors } = await res.json();
    expect(errors.map((e: { field: string }) => e.field).sort()).toEqual(["colour", "published", "title"]);
    expect((await put("no-body", { title: "x", published: "2022-01-01" })).status).toBe(422);
    expect((await put("Bad_Slug", STORY)).status).toBe(422);
  });

  it("422 naming the body for one that cannot be rendered within the limits; the site keeps serving", async () => {
    const { app, put } = await setup();
    expect((await put("fine", STORY)).status).toBe(201);
    for (const body of [`${"> ".repeat(3000)}x`, `${"<div>".repeat(20_000)}x`, `${"<b>".repeat(5000)}x`, `${"<blockquote>".repeat(5000)}x`, `${"<ul><li>".repeat(5000)}x`, `${"<x-y>".repeat(5000)}x`]) {
      const res = await put("deep", { ...STORY, body });
      expect(res.status, body.slice(0, 20)).toBe(422);
      const { errors } = (await res.json()) as { errors: { field: string; message: string }[] };
      expect(errors.map((e) => e.field)).toEqual(["body"]);
      expect(errors[0]!.message).toMatch(/nests deeper than 64 levels/);
    }
    for (const path of ["/", "/rss.xml", "/atom.xml", "/feed.json", "/items/fine"]) expect((await app.request(path)).status, path).toBe(200);
    expect((await app.request("/items/deep")).status).toBe(404);
  });

  it("400 for a body that is not a JSON object", async () => {
    const { put } = await setup();
    expect((await put("x", "not json")).status).toBe(400);
    expect((await put("x", "[1,2]")).status).toBe(400);
  });

  it("413 over the body limit, before parsing", async () => {
    const { put, dir } = await setup(1000);
    const res = await put("big", { ...STORY, body: "x".repeat(2000) });
    expect(res.status).toBe(413);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("204 on delete, then 404; the Atom feed announces the withdrawal", async () => {
    const { app, put } = await setup();
    await put("cabinet", STORY);
    const del = () => app.request("/api/items/cabinet", { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    expect((await app.request("/items/cabinet")).status).toBe(404);
    const atom = await (await app.request("/atom.xml")).text();
    const deleted = children(parseXml(atom), "at:deleted-entry");
    expect(deleted.map((d) => d.attrs)).toEqual([{ ref: "tag:news.example,2022-06-30:cabinet", when: "2026-11-27T12:00:00.000Z" }]);
    // The W3C validator does not know RFC 6721's namespace: that is its only remark.
    expect(checkAtom(atom, "https://news.example/atom.xml", Date.parse("2027-01-01"))).toEqual(["UnknownNamespace: http://purl.org/atompub/tombstones/1.0"]);
  });

  it("405 for other methods on an item", async () => {
    const { app } = await setup();
    const res = await app.request("/api/items/x", { method: "POST", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("PUT, DELETE");
  });
});
