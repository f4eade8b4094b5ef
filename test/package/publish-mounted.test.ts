/**
 * The publish API of a mounted site: under the mount (`/news/api/`), written
 * through the store `itemsStore` opens, served at once under the mount;
 * the host's own routes beside it untouched.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, expect, it } from "vitest";
import { wirefeed } from "../../src/package/index.js";
import { itemsStore, type ItemsStore } from "../../src/package/node.js";
import { catalogOf, testSite } from "../support/fixtures.js";

const TOKEN = "mounted-token";
const site = testSite({ baseUrl: "https://news.example/news/" });
const STORY = { title: "Cabinet meets", published: "2022-06-30T14:20:00+03:00", body: "The cabinet met on Thursday." };
let store: ItemsStore | undefined;

afterAll(() => store?.close());

it("PUT /news/api/items/<slug> publishes; the article is served under /news/ with links from the site URL", async () => {
  store = await itemsStore(mkdtempSync(join(tmpdir(), "wirefeed-mounted-")), site, { watch: false, parseIndex: false, log: () => {} });
  const app = new Hono();
  app.route("/news", wirefeed({ site, store, publishToken: TOKEN, log: () => {} }));
  app.post("/contact", (c) => c.text("thanks", 201));
  const put = await app.request("/news/api/items/cabinet", {
    method: "PUT",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(STORY),
  });
  expect(put.status).toBe(201);
  expect(put.headers.get("location")).toBe("https://news.example/news/items/cabinet");
  const page = await app.request("/news/items/cabinet");
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Cabinet meets");
  expect((await app.request("/news/api/items/cabinet", { method: "PUT", body: "{}" })).status).toBe(401);
  expect((await app.request("/contact", { method: "POST" })).status).toBe(201);
  // Nothing under /api outside the mount is the site's.
  expect((await app.request("/api/items/cabinet")).status).toBe(404);
});

it("a publish token for a store nothing can write to is refused when the app is made", () => {
  expect(() => wirefeed({ site, store: catalogOf({}, site), publishToken: TOKEN })).toThrow(TypeError);
});
