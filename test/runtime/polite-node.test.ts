/** Politeness on the real Node entry: the client is the socket's peer address. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpGet, startServer, type RunningServer } from "../support/server.js";

let server: RunningServer;

beforeAll(async () => {
  const config = { ...JSON.parse(readFileSync("site.config.json", "utf8")), politeness: { minIntervalSeconds: 300 } };
  const file = join(mkdtempSync(join(tmpdir(), "wirefeed-polite-")), "site.config.json");
  writeFileSync(file, JSON.stringify(config));
  server = await startServer({ WIREFEED_CONFIG: file });
});

afterAll(async () => {
  await server?.stop();
});

describe("node server with politeness on", () => {
  it("the second unconditional poll from the same address gets 429 with Retry-After; a conditional one gets 304", async () => {
    const first = await httpGet(server.base, "/atom.xml");
    expect(first.status).toBe(200);
    const second = await httpGet(server.base, "/atom.xml");
    expect(second.status).toBe(429);
    expect(Number(second.headers["retry-after"])).toBeGreaterThan(290);
    expect(Number(second.headers["retry-after"])).toBeLessThanOrEqual(300);
    const conditional = await httpGet(server.base, "/atom.xml", { headers: { "If-None-Match": String(first.headers.etag) } });
    expect(conditional.status).toBe(304);
    expect((await httpGet(server.base, "/")).status).toBe(200);
  });

  it("a HEAD is not a poll: HEAD then GET is served, and the HEAD itself is never refused", async () => {
    for (let i = 0; i < 3; i++) expect((await httpGet(server.base, "/rss.xml", { method: "HEAD" })).status).toBe(200);
    const get = await httpGet(server.base, "/rss.xml");
    expect(get.status).toBe(200);
    expect(get.body.length).toBeGreaterThan(0);
    expect((await httpGet(server.base, "/rss.xml", { method: "HEAD" })).status).toBe(200);
    expect((await httpGet(server.base, "/rss.xml")).status).toBe(429);
  });
});
