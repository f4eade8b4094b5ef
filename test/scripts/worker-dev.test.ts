/**
 * The Worker script as a user runs it (`npm run dev:worker`), in a copy of the project: wrangler dev in
 * workerd, with a broken record among good ones. The Worker serves the good
 * ones and logs the broken one, at start and when a broken file appears while
 * it runs; every script follows one port setting, and links use it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { freePort, projectCopy, spawnGroup, type Spawned } from "../support/project-copy.js";

const GOOD = {
  "harbour-reopens.md": record({ title: "Harbour reopens after storm", published: "2022-06-29T09:00:00+09:00" }),
  "rail-strike-ends.md": record({ title: "Rail strike ends", published: "2022-06-30T09:00:00+09:00" }),
};
const BROKEN = "---\ntitle: [unclosed\n---\n\nBody.\n";

const running: Spawned[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

/** A GET that gives up after `ms` (the failure seen: curl gave up after 10 s). */
async function get(url: string, ms = 8_000) {
  const response = await fetch(url, { signal: AbortSignal.timeout(ms) });
  return { status: response.status, body: await response.text() };
}

function expectServesTheGoodOnes(page: { status: number; body: string }) {
  expect(page.status).toBe(200);
  expect(page.body).toContain("Harbour reopens after storm");
  expect(page.body).toContain("Rail strike ends");
}

describe("npm run dev:worker", () => {
  it("serves the good records on --port N, links to that port, and logs the broken one, also one added while it runs", async () => {
    const dir = projectCopy({ ...GOOD, "broken.md": BROKEN });
    const port = await freePort();
    const dev = spawnGroup("npm", ["run", "dev:worker", "--", "--port", String(port)], dir);
    running.push(dev);
    await dev.waitFor(new RegExp(`Ready on http://127\\.0\\.0\\.1:${port}`), 90_000);
    const base = `http://127.0.0.1:${port}`;

    expectServesTheGoodOnes(await get(`${base}/`));
    const rss = await get(`${base}/rss.xml`);
    expect(rss.body).toContain(`<link>${base}/items/harbour-reopens</link>`);
    expect((await get(`${base}/items/broken`)).status).toBe(404);
    await dev.waitFor(/skipped record: items\/broken\.md:3: front matter: is not valid YAML/, 10_000);

    // A broken file appears while wrangler dev runs: its [build] step runs again.
    writeFileSync(join(dir, "items", "late-broken.md"), BROKEN);
    await dev.waitFor(/items\/late-broken\.md:3: front matter/, 30_000);
    expectServesTheGoodOnes(await get(`${base}/`, 15_000));
    await dev.waitFor(/skipped record: items\/late-broken\.md:3: front matter/, 10_000);
  }, 180_000);
});
