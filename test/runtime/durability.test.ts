/**
 * Nothing acknowledged is lost, through the real server over a socket: racing
 * deletions and creations, a full disk (a small tmpfs), and kill -9 in the
 * middle of publishing, each followed by a restart. A 2xx must still be
 * served afterwards; anything not saved must be an error the client saw.
 */
import { PARSE_INDEX_FILE } from "../../src/storage/parse-index.js";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { record, TEST_SITE_CONFIG } from "../support/fixtures.js";
import { startServer, type RunningServer } from "../support/server.js";

const TOKEN = "durability-token";
const SITE_URL = "https://news.example/";
const running: RunningServer[] = [];
const temps: string[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) await kill9(s);
});
afterAll(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

interface Site {
  config: string;
  items: string;
}

/** A site in a folder of its own: config plus records `<slug>.md`; `items` may be given (a mount). */
function site(records: Record<string, string>, items?: string): Site {
  const root = mkdtempSync(join(tmpdir(), "wirefeed-durable-"));
  temps.push(root);
  const config = join(root, "site.config.json");
  writeFileSync(config, JSON.stringify({ ...TEST_SITE_CONFIG, feedSize: 500 }));
  const dir = items ?? join(root, "items");
  mkdirSync(dir, { recursive: true });
  for (const [slug, text] of Object.entries(records)) writeFileSync(join(dir, `${slug}.md`), text);
  return { config, items: dir };
}

const story = (title: string, body = "Body text.") => record({ title, published: "2022-06-30T14:20:00+03:00" }, body);
const storyJson = (title: string, body = "Body text.") => JSON.stringify({ title, published: "2022-06-30T14:20:00+03:00", body });

async function boot(s: Site): Promise<RunningServer> {
  const server = await startServer({ ITEMS_DIR: s.items, WIREFEED_CONFIG: s.config, SITE_URL, PUBLISH_TOKEN: TOKEN });
  running.push(server);
  return server;
}

/** A crash, not a stop: no shutdown code runs. */
async function kill9(server: RunningServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  await server.exited;
}

async function restart(server: RunningServer, s: Site): Promise<RunningServer> {
  await kill9(server);
  running.splice(running.indexOf(server), 1);
  return boot(s);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request on its own connection (no agent: real concurrency, one socket each). */
function call(base: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const deletedIds = (atom: string) => [...atom.matchAll(/<at:deleted-entry ref="([^"]+)"/g)].map((m) => m[1]!).sort();
const storedIds = (s: Site) => {
  const file = join(s.items, ".tombstones.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { id: string }[]).map((t) => t.id).sort() : [];
};
const idOf = (slug: string) => `tag:news.example,2022-06-30:${slug}`;
/** Bursts of concurrent deletions; on the old code about one in three lost a tombstone. */
const ROUNDS = 6;
const tempFiles = (dir: string) => readdirSync(dir).filter((f) => /\.tmp$/.test(f));

describe("racing writers", () => {
  it(`every one of ${ROUNDS} × 40 concurrent DELETEs that got 204 leaves a tombstone a restart still serves`, async () => {
    const slugs = Array.from({ length: ROUNDS * 40 }, (_, i) => `gone-${i}`);
    const s = site(Object.fromEntries(slugs.map((slug) => [slug, story(slug)])));
    let server = await boot(s);
    for (let round = 0; round < ROUNDS; round++) {
      const batch = slugs.slice(round * 40, round * 40 + 40);
      const answers = await Promise.all(batch.map((slug) => call(server.base, "DELETE", `/api/items/${slug}`)));
      expect(answers.map((a) => a.status)).toEqual(batch.map(() => 204));
      // Each burst on its own: an older set renamed last would have dropped one of these.
      expect(storedIds(s)).toEqual(slugs.slice(0, round * 40 + 40).map(idOf).sort());
    }
    const all = slugs.map(idOf).sort();
    expect(deletedIds((await call(server.base, "GET", "/atom.xml")).text)).toEqual(all);
    expect(storedIds(s)).toEqual(all);
    server = await restart(server, s);
    expect(deletedIds((await call(server.base, "GET", "/atom.xml")).text)).toEqual(all);
    for (const slug of slugs.slice(0, 3)) expect((await call(server.base, "GET", `/items/${slug}`)).status).not.toBe(200);
  });

  it("50 parallel PUTs of one new slug: exactly one 201 (with Location), 49 × 200, and the record is whole", async () => {
    const s = site({});
    const server = await boot(s);
    for (const slug of ["first", "second", "third"]) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => call(server.base, "PUT", `/api/items/${slug}`, storyJson(`${slug} take ${i}`))));
      const created = answers.filter((a) => a.status === 201);
      expect(created).toHaveLength(1);
      expect(created[0]!.headers.location).toBe(`${SITE_URL}items/${slug}`);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(49);
      expect(answers.filter((a) => a.status === 200).every((a) => a.headers.location === undefined)).toBe(true);
      expect(readFileSync(join(s.items, `${slug}.md`), "utf8")).toMatch(new RegExp(`^---\\ntitle: ${slug} take \\d+\\n`));
    }
  });
});

describe("a full disk (a 512 KiB tmpfs)", () => {
  const mount = mkdtempSync(join(tmpdir(), "wirefeed-full-"));
  let mounted = false;
  afterAll(() => {
    if (mounted) execFileSync("umount", [mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  /** Fills the mount until the kernel says ENOSPC; returns the filler's path (delete it to free the space). */
  function fill(): string {
    const filler = join(mount, "filler.bin");
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=4096"], { stdio: "ignore" });
    } catch {
      // dd stops with "No space left on device": full, as wanted.
    }
    return filler;
  }

  it("PUT and DELETE answer 507 in JSON and change nothing; after room is made, both work and survive a restart", async () => {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]);
    mounted = true;
    const s = site({ kept: story("Kept", "Original text."), "by-hand": story("By hand") }, join(mount, "items"));
    let server = await boot(s);
    // A second name for by-hand.md outside items/: removing it later frees no space.
    linkSync(join(s.items, "by-hand.md"), join(mount, "by-hand.hold"));
    const filler = fill();

    const create = await call(server.base, "PUT", "/api/items/fresh", storyJson("Fresh", "x".repeat(20_000)));
    expect(create.status).toBe(507);
    expect(create.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(create.text)).toEqual({ error: expect.stringMatching(/^storage full/) });
    const replace = await call(server.base, "PUT", "/api/items/kept", storyJson("Kept, edited", "y".repeat(20_000)));
    expect(replace.status).toBe(507);
    const remove = await call(server.base, "DELETE", "/api/items/kept");
    expect(remove.status).toBe(507);
    expect(JSON.parse(remove.text)).toEqual({ error: expect.stringMatching(/^storage full/) });

    // The log says what failed and where.
    expect(server.stderr()).toMatch(/publish of .*\/items\/fresh\.md failed: storage full: could not write /);
    expect(server.stderr()).toMatch(/deletion of .*\/items\/kept\.md failed: storage full: could not write .*\.tombstones\.json/);
    // Nothing changed: the record is on disk and served as it was, no tombstone, no temp file
    // (.changes.json is the server's change stamps, written at start-up; .wirefeed-index.db* its parse index).
    expect(readdirSync(s.items).filter((f) => f !== ".changes.json" && !f.startsWith(PARSE_INDEX_FILE)).sort()).toEqual(["by-hand.md", "kept.md"]);
    expect((await call(server.base, "GET", "/items/kept")).text).toContain("Original text.");
    expect((await call(server.base, "GET", "/items/fresh")).status).toBe(404);
    expect(deletedIds((await call(server.base, "GET", "/atom.xml")).text)).toEqual([]);

    // A record removed by hand meanwhile: its tombstone cannot be saved, so it is not served either (a restart
    // would not have it), and the log says readers will not be told.
    rmSync(join(s.items, "by-hand.md"));
    for (let i = 0; i < 300 && !/by-hand\.md was deleted but its tombstone could not be saved/.test(server.stderr()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(server.stderr()).toMatch(/by-hand\.md was deleted but its tombstone could not be saved/);
    expect((await call(server.base, "GET", "/items/by-hand")).status).toBe(404);
    expect(deletedIds((await call(server.base, "GET", "/atom.xml")).text)).toEqual([]);

    rmSync(filler);
    expect((await call(server.base, "PUT", "/api/items/fresh", storyJson("Fresh", "x".repeat(20_000)))).status).toBe(201);
    expect((await call(server.base, "DELETE", "/api/items/kept")).status).toBe(204);
    server = await restart(server, s);
    expect((await call(server.base, "GET", "/items/fresh")).status).toBe(200);
    expect(deletedIds((await call(server.base, "GET", "/atom.xml")).text)).toEqual([idOf("kept")]);
    expect(tempFiles(s.items)).toEqual([]);
  });
});

describe("kill -9 while publishing", () => {
  it("every acknowledged PUT and DELETE is served after a restart", async () => {
    const s = site(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`old-${i}`, story(`Old ${i}`)])));
    for (const afterMs of [30, 300]) {
      let server = await boot(s);
      const acked = { put: [] as string[], deleted: [] as string[] };
      let stop = false;
      const writer = async (lane: number) => {
        for (let i = 0; !stop; i++) {
          const slug = `new-${afterMs}-${lane}-${i}`;
          const put = await call(server.base, "PUT", `/api/items/${slug}`, storyJson(`New ${slug}`, "z".repeat(200_000))).catch(() => undefined);
          if (put && put.status >= 200 && put.status < 300) acked.put.push(slug);
          const victim = `old-${(afterMs / 50 + lane * 7 + i) % 30}`;
          const del = await call(server.base, "DELETE", `/api/items/${victim}`).catch(() => undefined);
          if (del?.status === 204) acked.deleted.push(victim);
        }
      };
      const lanes = [0, 1, 2, 3].map(writer);
      // Killed while writes are under way: some acknowledged already, however slow the machine.
      while (acked.put.length < 2) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, afterMs));
      await kill9(server);
      stop = true;
      await Promise.all(lanes);
      running.splice(running.indexOf(server), 1);

      server = await boot(s);
      expect(acked.put.length).toBeGreaterThan(0);
      for (const slug of acked.put) expect((await call(server.base, "GET", `/items/${slug}`)).status, slug).toBe(200);
      const gone = deletedIds((await call(server.base, "GET", "/atom.xml")).text);
      for (const victim of acked.deleted) expect(gone).toContain(idOf(victim));
      // Whatever the kill left half-written was cleaned at start-up.
      expect(tempFiles(s.items)).toEqual([]);
      await kill9(server);
      running.splice(running.indexOf(server), 1);
    }
  }, 60_000);

  it("start-up removes the temporary files of writers killed mid-write, and only those", async () => {
    const s = site({ a: story("A") });
    writeFileSync(join(s.items, ".notes.tmp"), "someone's own file");
    writeFileSync(join(s.items, ".keep"), "");
    // A write under way in a process that still runs (this one) is not touched.
    const live = `.wirefeed.${process.pid}.0123456789ab.tmp`;
    writeFileSync(join(s.items, live), "half");
    // What earlier versions left (named after their target) goes too.
    const older = [".story.md.0123456789ab.tmp", "..tombstones.json.abcdef012345.tmp"];
    for (const f of older) writeFileSync(join(s.items, f), "half");
    // A real leftover: a writer rewriting a 900 KB record, killed until one is caught mid-write.
    let leftovers: string[] = [];
    for (let attempt = 0; attempt < 20 && leftovers.length === 0; attempt++) {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/crash-writer.ts", s.items], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + attempt * 7));
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      leftovers = tempFiles(s.items).filter((f) => f.startsWith(".wirefeed.") && f !== live);
    }
    expect(leftovers.length).toBeGreaterThan(0);
    const server = await boot(s);
    // The server's own first write (its change stamps, .changes.json) may still be under way: let it land.
    for (let i = 0; i < 100 && tempFiles(s.items).some((f) => f.startsWith(".wirefeed.") && f !== live); i++) await new Promise((r) => setTimeout(r, 50));
    // story.md is the crash writer's record, there once its first write completed; .changes.json and the parse index (.wirefeed-index.db*) are the server's.
    expect(readdirSync(s.items).filter((f) => f !== "story.md" && f !== ".changes.json" && !f.startsWith(PARSE_INDEX_FILE)).sort()).toEqual([".keep", ".notes.tmp", live, "a.md"].sort());
    for (const f of [...leftovers, ...older]) expect(server.stderr() + server.stdout()).toContain(f);
  });
});
