/**
 * The publish API through the real Node server over a socket: what a client
 * on the wire sees for the limits (413 as JSON, long slugs, deep JSON, long
 * field names), text/markdown, and reading records back.
 */
import { PARSE_INDEX_FILE } from "../../src/storage/parse-index.js";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server.js";

const TOKEN = "socket-token";
let server: RunningServer;
let dir: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request over a socket, with the token. */
function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.base}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const json = (value: unknown) => [JSON.stringify(value), { "Content-Type": "application/json" }] as const;
const STORY = { title: "Over the wire", published: "2022-07-01T09:00:00+09:00", body: "Sent through a socket." };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wirefeed-api-socket-"));
  server = await startServer({ ITEMS_DIR: dir, SITE_URL: "https://wire.example/", PUBLISH_TOKEN: TOKEN });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("publish API over a socket", () => {
  it("a declared body over 1 MiB: 413 in JSON, before the body is sent", async () => {
    const res = await new Promise<Answer>((resolve, reject) => {
      const req = request(`${server.base}/api/items/big`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", "Content-Length": String(2 * 1024 * 1024) },
      }, (r) => {
        let text = "";
        r.on("data", (d: Buffer) => (text += d.toString()));
        r.on("end", () => resolve({ status: r.statusCode!, headers: r.headers, text }));
      });
      req.on("error", reject);
      // Only the first bytes: the answer must come without the rest.
      req.write("{");
    });
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(res.text)).toEqual({ error: "Content Too Large: the limit is 1048576 bytes" });
  });

  it("a 235-character slug, JSON nested 100,000 deep and a 40,000-character field name: 422 each, and the server keeps serving", async () => {
    const slug = await call("PUT", `/api/items/${"a".repeat(235)}`, ...json(STORY));
    expect(slug.status).toBe(422);
    expect(JSON.parse(slug.text).errors).toEqual([{ field: "slug", message: "is 235 characters long; the limit is 128" }]);
    const deep = await call("PUT", "/api/items/deep", `{"title":"t","published":"2022-06-29","body":"b","image":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, { "Content-Type": "application/json" });
    expect(deep.status).toBe(422);
    expect(JSON.parse(deep.text).errors[0].field).toBe("image[0][0][0][0]");
    const key = await call("PUT", "/api/items/long-key", ...json({ ...STORY, ["k".repeat(40_000)]: 1 }));
    expect(key.status).toBe(422);
    expect(JSON.parse(key.text).errors[0].message).toBe("field name is 40000 characters long; the limit is 64");
    expect((await call("GET", "/rss.xml")).status).toBe(200);
    // Nothing written (the server's own parse index aside).
    expect(readdirSync(dir).filter((f) => !f.startsWith(PARSE_INDEX_FILE))).toEqual([]);
  });

  it("PUT text/markdown, then GET the record and the list", async () => {
    const file = "---\ntitle: Typed in an editor\npublished: 2022-07-02\n---\n\nBody.\n";
    const put = await call("PUT", "/api/items/typed", file, { "Content-Type": "text/markdown" });
    expect(put.status).toBe(201);
    expect(put.headers.location).toBe("https://wire.example/items/typed");
    const got = await call("GET", "/api/items/typed");
    expect([got.status, got.headers["content-type"], got.text]).toEqual([200, "text/markdown; charset=utf-8", file]);
    expect((await call("PUT", "/api/items/second", ...json(STORY))).status).toBe(201);
    const list = await call("GET", "/api/items?limit=1");
    expect(JSON.parse(list.text)).toEqual({ items: [{ slug: "second", href: "https://wire.example/api/items/second" }], next: "https://wire.example/api/items?after=second&limit=1" });
    const rest = await call("GET", "/api/items?after=second&limit=1");
    expect(JSON.parse(rest.text)).toEqual({ items: [{ slug: "typed", href: "https://wire.example/api/items/typed" }], next: null });
    expect((await call("GET", "/items/typed")).status).toBe(200);
  });
});
