/**
 * A feed URL opened in a real browser (Debian's headless Chromium) shows a
 * readable page: the XSLT view with the items, not raw XML.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server.js";

const run = promisify(execFile);
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--window-size=1000,1400",
];

let server: RunningServer;
const profiles: string[] = [];

async function chromium(...args: string[]): Promise<string> {
  if (!CHROMIUM) throw new Error("Chromium not found: apt-get install chromium (.ci/run does this)");
  const profile = mkdtempSync(join(tmpdir(), "wirefeed-chromium-"));
  profiles.push(profile);
  const { stdout } = await run(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 });
  return stdout;
}

/** A port that was free a moment ago, so SITE_URL can name the server's own origin (its stylesheet must load). */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  server = await startServer({ PORT: String(port), SITE_URL: `http://127.0.0.1:${port}/` });
});

afterAll(async () => {
  await server?.stop();
  for (const p of profiles) rmSync(p, { recursive: true, force: true });
});

describe("feeds in a browser", () => {
  it.each(["rss.xml", "atom.xml"])("%s is transformed into an HTML page listing the items", async (file) => {
    const dom = await chromium("--dump-dom", `${server.base}/${file}`);
    expect(dom).toContain("<h1>Wirefeed Newsroom</h1>");
    expect(dom).toContain("This is a web feed");
    for (const title of ["Japan PM seeks upgrade of NATO partnership after Russia's war", "Kuwait keeps crude output steady as OPEC+ talks near"]) {
      expect(dom).toContain(title);
    }
    expect(dom).toContain(`href="${server.base}/items/japan-pm-seeks-nato-partnership-upgrade"`);
    expect(dom).not.toContain("<channel>");
    // Several authors read as one line in both views (RSS: one dc:creator; Atom: every <author>).
    expect(dom).toContain("Kim Min-ji, Lee Sun-woo");
  });

  it("the screenshot shows a styled page with a block of text per item", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "wirefeed-shot-")), "rss.png");
    await chromium(`--screenshot=${out}`, `${server.base}/rss.xml`);
    const png = PNG.sync.read(readFileSync(out));
    // Rows that hold dark text (item titles, summaries): raw XML in a monospace wall or a blank page fails this.
    let inkRows = 0;
    const linkBlueRows = new Set<number>();
    for (let y = 0; y < png.height; y++) {
      let ink = 0;
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
        if (r < 90 && g < 90 && b < 90) ink++;
        // Item titles are links in the page's link colour (#0b57a4).
        if (Math.abs(r - 0x0b) < 40 && Math.abs(g - 0x57) < 40 && Math.abs(b - 0xa4) < 40) linkBlueRows.add(Math.floor(y / 40));
      }
      if (ink > 5) inkRows++;
    }
    expect(inkRows).toBeGreaterThan(100);
    // At least one band of link-coloured title text per bundled item visible in the window.
    expect(linkBlueRows.size).toBeGreaterThanOrEqual(4);
  });
});
