/**
 * `wirefeed build` dates its files as the server dates its responses: it
 * reads (and completes) items/.changes.json, and sets each file's mtime to
 * the representation's Last-Modified (what file-serving hosts send).
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeSite } from "../../src/runtime/node-site.js";
import { record } from "../support/fixtures.js";
import { project, wirefeed } from "./support.js";

const story = (title: string, published: string) => record({ title, published, categories: ["Markets"] });
const mtime = (cwd: string, file: string) => statSync(join(cwd, "dist", file)).mtime.toISOString();

describe("wirefeed build and change stamps", () => {
  it("a back-dated record found by a build is dated then; the next build and the server agree", async () => {
    const cwd = project({ "a.md": story("A", "2022-01-01T00:00:00Z"), "b.md": story("B", "2022-01-02T00:00:00Z") });
    const first = await wirefeed(["build"], { cwd, now: new Date("2026-01-01T00:00:00Z") });
    expect(first.code).toBe(0);
    expect(mtime(cwd, "rss.xml")).toBe("2022-01-02T00:00:00.000Z");

    writeFileSync(join(cwd, "items", "late.md"), story("Late", "2021-01-01T00:00:00Z"));
    const second = await wirefeed(["build"], { cwd, now: new Date("2026-02-02T02:02:02Z") });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("build: change stamps updated in items/.changes.json (commit it with the records)");
    for (const file of ["rss.xml", "atom.xml", "feed.json", "categories/markets/rss.xml", "items/late.html"]) expect(mtime(cwd, file), file).toBe("2026-02-02T02:02:02.000Z");
    expect(mtime(cwd, "items/a.html")).toBe("2022-01-01T00:00:00.000Z");
    expect(JSON.parse(readFileSync(join(cwd, "items", ".changes.json"), "utf8")).records["late.md"].changed).toBe("2026-02-02T02:02:02.000Z");

    // Nothing changed: a later build keeps every date.
    const third = await wirefeed(["build"], { cwd, now: new Date("2026-03-03T00:00:00Z") });
    expect(third.stderr).not.toContain("build: change stamps updated in items/.changes.json (commit it with the records)");
    expect(mtime(cwd, "rss.xml")).toBe("2026-02-02T02:02:02.000Z");

    // The server over the same folder sends the same Last-Modified.
    const node = await createNodeSite({ configPath: join(cwd, "site.config.json"), itemsDir: join(cwd, "items"), watch: false, now: () => new Date("2027-01-01T00:00:00Z"), log: () => {} });
    for (const path of ["/rss.xml", "/items/late", "/items/a"]) {
      const res = await node.app.request(path);
      const file = path === "/rss.xml" ? "rss.xml" : `${path.slice(1)}.html`;
      expect(new Date(res.headers.get("last-modified")!).toISOString(), path).toBe(mtime(cwd, file));
    }
    node.live.close();
  });
});
