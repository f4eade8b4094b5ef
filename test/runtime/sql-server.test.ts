/**
 * The Node server on a SQLite database (WIREFEED_DB) over a real socket:
 * concurrent publishes, racing PUT/DELETE pairs, a restart, a `db load` by
 * another process while it serves, and a writer killed with SIGKILL.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import { openLibsql } from "../../src/storage/sql/libsql-driver.js";
import { sqlListings, storedVersion } from "../../src/storage/sql/sql-listings.js";
import { record, TEST_SITE_CONFIG } from "../support/fixtures.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";
import { startServer, type RunningServer } from "../support/server.js";
import { wirefeed } from "../cli/support.js";
import { expectStormServed, publishStorm } from "../support/publish-storm.js";

const TOKEN = "sql-test-token";
const SITE = "https://news.example/";
const running: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
});

function siteFolder() {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-sqlsrv-"));
  writeFileSync(join(dir, "site.json"), JSON.stringify({ ...TEST_SITE_CONFIG, feedSize: 50, maxLimit: 500 }));
  return { dir, config: join(dir, "site.json"), db: join(dir, "site.db") };
}

async function start(folder: { config: string; db: string }) {
  const server = await startServer({ WIREFEED_DB: folder.db, WIREFEED_CONFIG: folder.config, SITE_URL: SITE, PUBLISH_TOKEN: TOKEN, ACCESS_LOG: "off" });
  running.push(server);
  return server;
}

/** PUT and DELETE with a body, over the socket (fetch: the server's own HTTP stack). */
async function send(base: string, method: "PUT" | "DELETE", slug: string, text?: string): Promise<number> {
  const res = await fetch(`${base}/api/items/${slug}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(text ? { "Content-Type": "text/markdown" } : {}) },
    ...(text ? { body: text } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

const story = (title: string, minute: number) => record({ title, published: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(), categories: ["Markets"] });

/** What the database holds, read directly: the slugs of its live articles. */
async function liveSlugs(db: string): Promise<string[]> {
  const driver = openLibsql(db);
  try {
    const listings = sqlListings(driver, await storedVersion(driver));
    return (await listings.newest(SITE_SCOPE, 10_000, "published")).map((a) => a.slug).sort();
  } finally {
    driver.close();
  }
}

/** The slugs the server's site feed lists (?limit up to maxLimit). */
async function servedSlugs(base: string): Promise<string[]> {
  const res = await fetch(`${base}/feed.json?limit=500`);
  expect(res.status).toBe(200);
  const feed = (await res.json()) as { items: { url: string }[] };
  return feed.items.map((i) => i.url.replace(`${SITE}items/`, "")).sort();
}

test("concurrent publishes over a socket: every acknowledged write served, one 201 per new slug, no 500, and the same after a restart", async () => {
  const folder = siteFolder();
  let server = await start(folder);
  const outcome = await publishStorm(server.base, TOKEN);
  await expectStormServed(server.base, TOKEN, outcome);
  // The feed is exactly what the database holds, read directly.
  expect(await servedSlugs(server.base)).toEqual(await liveSlugs(folder.db));
  await server.stop();
  server = await start(folder);
  await expectStormServed(server.base, TOKEN, outcome);
  await server.stop();
}, 120_000);

test("a db load by another process is served from the next request on", async () => {
  const folder = siteFolder();
  const server = await start(folder);
  expect(await servedSlugs(server.base)).toEqual([]);
  const items = copySamples(join(folder.dir, "items"));
  const load = await wirefeed(["db", "load", items, "--db", folder.db, "--config", folder.config], { cwd: folder.dir });
  expect(load.code).toBe(0);
  expect((await servedSlugs(server.base)).length).toBe(SAMPLE_RECORDS.length);
  await server.stop();
}, 60_000);

test("a writer killed with SIGKILL mid-loop leaves a consistent database holding every acknowledged write", async () => {
  const folder = siteFolder();
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/sql-publish-loop.ts", folder.db], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if ((out.match(/^ack /gm) ?? []).length >= 60) {
        clearInterval(check);
        resolve();
      }
    }, 5);
    void exited.then(() => reject(new Error(`publish loop exited: ${err}`)));
  });
  child.kill("SIGKILL");
  await exited;
  // Only whole lines were acknowledged.
  const acks = out.split("\n").filter((l) => /^ack \S+ (put|delete)$/.test(l)).map((l) => l.split(" ") as [string, string, string]);
  const expected = new Map<string, boolean>();
  for (const [, slug, what] of acks) expected.set(slug, what === "put");
  // The write under way when killed may have committed without its acknowledgement: a delete that follows the last put.
  const last = acks.at(-1)!;
  const i = Number(last[1].slice("crash-".length));
  if (last[2] === "put" && i % 3 === 2) expected.delete(`crash-${i - 1}`);
  expect(expected.size).toBeGreaterThan(40);
  const driver = openLibsql(folder.db);
  try {
    expect(await driver.all({ sql: "PRAGMA integrity_check" })).toEqual([{ integrity_check: "ok" }]);
    const records = new Set((await driver.all({ sql: "SELECT name FROM records" })).map((r) => (r.name as string).replace(/\.md$/, "")));
    const articles = new Set((await driver.all({ sql: "SELECT slug FROM articles" })).map((r) => r.slug as string));
    for (const [slug, present] of expected) expect(records.has(slug), slug).toBe(present);
    // Records and derived rows agree (each write committed whole): every record is an article, and back.
    expect([...articles].sort()).toEqual([...records].sort());
    const scoped = await driver.all({ sql: "SELECT COUNT(DISTINCT article_slug) AS n FROM article_scopes WHERE kind = 'category'" });
    expect(Number(scoped[0]!.n)).toBe(articles.size);
    const withdrawn = new Set((await driver.all({ sql: "SELECT slug FROM tombstones" })).map((r) => r.slug as string));
    for (const [slug, present] of expected) if (!present) expect(withdrawn.has(slug), slug).toBe(true);
  } finally {
    driver.close();
  }
}, 60_000);
