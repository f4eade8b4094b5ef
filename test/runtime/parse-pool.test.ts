/**
 * The parse pool keeps an idle worker for a while: starting a worker thread
 * costs far more than a parse, so publishes one after another must not each
 * pay for one (they did: every record over 4 KB put through the API started
 * a fresh isolate).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record.js";
import { ParsePool } from "../../src/runtime/parse-pool.js";
import { record, testSite } from "../support/fixtures.js";

const site = testSite();
let pool: ParsePool | undefined;
afterEach(async () => pool?.close());

describe("ParsePool", () => {
  it("parses records one after another on one worker, not one worker each", async () => {
    pool = new ParsePool();
    for (let i = 0; i < 5; i++) {
      const result = await pool.parse(`items/s-${i}.md`, record({ title: `Story ${i}`, published: "2022-06-29T09:00:00Z" }, "Text. ".repeat(1000)), site);
      expect(result.ok && "article" in result && result.article.title).toBe(`Story ${i}`);
    }
    expect(pool.started).toBe(1);
  }, 60_000);

  it("with several records handed ahead to each of two workers, each comes back as parsing it in line gives, refusals included", async () => {
    pool = new ParsePool(10_000, 2, 4);
    const inputs = Array.from({ length: 40 }, (_, i) =>
      i % 7 === 3 ? record({ title: `Story ${i}` }, "No date.") : record({ title: `Story ${i}`, published: "2022-06-29T09:00:00Z" }, `Text ${i}. `.repeat(200)),
    );
    const results = await Promise.all(inputs.map((input, i) => (i % 2 ? pool!.parseEncoded(`items/s-${i}.md`, input, site) : pool!.parse(`items/s-${i}.md`, input, site))));
    results.forEach((result, i) => {
      const inline = parseRecord(`items/s-${i}.md`, inputs[i]!, site);
      expect(result.ok).toBe(inline.ok);
      if (!result.ok) expect(result.errors.map((e) => e.message)).toEqual(!inline.ok && inline.errors.map((e) => e.message));
      else if ("article" in result) expect(result.article).toEqual(inline.ok && "article" in inline && inline.article);
      else expect("encoded" in result && JSON.parse(result.encoded.meta).title).toBe(`Story ${i}`);
    });
    expect(results.filter((r) => !r.ok)).toHaveLength(6);
    expect(pool.started).toBe(2);
  }, 60_000);

  it("an idle worker it keeps does not keep the process alive: one that parsed and never closed its pool exits", () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefeed-pool-"));
    const script = join(dir, "parse-once.mts");
    writeFileSync(script, `import { ParsePool } from ${JSON.stringify(resolve("src/runtime/parse-pool.ts"))};
      import { record, testSite } from ${JSON.stringify(resolve("test/support/fixtures.ts"))};
      const pool = new ParsePool();
      const r = await pool.parse("items/a.md", record({ title: "A", published: "2022-06-29T09:00:00Z" }), testSite());
      console.log(r.ok, pool.started);`);
    // Without unref the idle worker would hold the process for IDLE_MS (30 s): the harness bound below would end it instead.
    const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 20_000 });
    expect([run.status, run.signal, run.stdout.trim()]).toEqual([0, null, "true 1"]);
  }, 30_000);
});
