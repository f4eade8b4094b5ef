/** WebSub against a fake hub on 127.0.0.1, through the real server with the publish API on. */
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server.js";
import { child, children, parseXml } from "../support/xml.js";

const TOKEN = "hub-test-token";
let hub: Server;
let hubUrl = "";
const pings: { topic: string; mode: string; at: number }[] = [];
const failedOnce = new Set<string>();
/** The hub holds its first answers until the test opens this gate: a publish that waited for the hub could not finish before. */
let openGate = () => {};
const gate = new Promise<void>((resolve) => (openGate = resolve));
let server: RunningServer;

beforeAll(async () => {
  hub = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const topic = params.get("hub.url") ?? "";
      pings.push({ topic, mode: params.get("hub.mode") ?? "", at: Date.now() });
      // The first ping for each topic fails, and only once the gate opens: the publisher must retry, and must not wait for it.
      if (!failedOnce.has(topic)) {
        failedOnce.add(topic);
        void gate.then(() => res.writeHead(503).end());
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hub.listen(0, "127.0.0.1", () => r()));
  hubUrl = `http://127.0.0.1:${(hub.address() as { port: number }).port}/hub`;
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-websub-"));
  const config = { ...JSON.parse(readFileSync("site.config.json", "utf8")), websubHub: hubUrl };
  writeFileSync(join(dir, "site.config.json"), JSON.stringify(config));
  server = await startServer({
    ITEMS_DIR: mkdtempSync(join(tmpdir(), "wirefeed-websub-items-")),
    WIREFEED_CONFIG: join(dir, "site.config.json"),
    SITE_URL: "https://wire.example/",
    PUBLISH_TOKEN: TOKEN,
  });
});

afterAll(async () => {
  await server?.stop();
  hub?.close();
});

describe("WebSub", () => {
  it("feeds advertise the hub in the XML, in JSON Feed hubs and as HTTP Link headers", async () => {
    const rss = await fetch(`${server.base}/rss.xml`);
    expect(rss.headers.get("link")).toBe(`<${hubUrl}>; rel="hub", <https://wire.example/rss.xml>; rel="self"`);
    const links = children(child(parseXml(await rss.text()), "channel"), "atom:link").map((l) => [l.attrs.rel, l.attrs.href]);
    expect(links).toEqual(expect.arrayContaining([["self", "https://wire.example/rss.xml"], ["hub", hubUrl]]));
    const atom = parseXml(await (await fetch(`${server.base}/atom.xml`)).text());
    expect(children(atom, "link").find((l) => l.attrs.rel === "hub")?.attrs.href).toBe(hubUrl);
    const json = await (await fetch(`${server.base}/feed.json`)).json();
    expect(json.hubs).toEqual([{ type: "WebSub", url: hubUrl }]);
  });

  it("a publish notifies the hub for every feed showing the article, without waiting for it, and retries failures", async () => {
    const res = await fetch(`${server.base}/api/items/hub-story`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "Hub story", published: "2022-07-01T00:00:00Z", categories: ["Energy"], body: "Text." }),
    });
    // Answered while the hub holds every first ping unanswered (a publish that waited for the hub would hang here
    // until the test timed out): the publish does not wait for it.
    expect(res.status).toBe(201);
    openGate();
    const topics = [
      "https://wire.example/rss.xml",
      "https://wire.example/atom.xml",
      "https://wire.example/feed.json",
      "https://wire.example/categories/energy/rss.xml",
      "https://wire.example/languages/en/atom.xml",
      "https://wire.example/authors/wirefeed-desk/feed.json",
    ];
    const deadline = Date.now() + 8000;
    const succeeded = () => topics.every((t) => pings.filter((p) => p.topic === t).length >= 2);
    while (!succeeded() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(succeeded()).toBe(true);
    expect(pings.every((p) => p.mode === "publish")).toBe(true);
    // Retried after a backoff, not at once.
    const first = pings.filter((p) => p.topic === topics[0]);
    expect(first[1]!.at - first[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("a delete notifies the hub too", async () => {
    const before = pings.length;
    const res = await fetch(`${server.base}/api/items/hub-story`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(204);
    const deadline = Date.now() + 3000;
    while (!pings.slice(before).some((p) => p.topic === "https://wire.example/atom.xml") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(pings.slice(before).map((p) => p.topic)).toContain("https://wire.example/atom.xml");
  });
});
