/**
 * scripts/build-worker-data.ts, the Worker's [build] step: it bundles exactly
 * the published records; a bad record is left out and reported with the
 * message the Node server logs for it, and the others are still built.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/core/catalog.js";
import type { WorkerData } from "../../src/runtime/worker-data.js";
import { directoryStore } from "../../src/storage/fs-dir.js";
import { readAllRecords } from "../../src/storage/load.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { record } from "../support/fixtures.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";

const siteConfig = () => parseSiteConfig(JSON.parse(readFileSync("site.config.json", "utf8")), "site.config.json");

function itemsWith(extra: Record<string, string | Buffer>): string {
  const dir = copySamples(mkdtempSync(join(tmpdir(), "wirefeed-build-")));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}

function build(itemsDir: string, args: string[] = []) {
  const out = join(mkdtempSync(join(tmpdir(), "wirefeed-out-")), "worker-data.ts");
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-worker-data.ts", ...args], {
    env: { ...process.env, ITEMS_DIR: itemsDir, WIREFEED_WORKER_DATA: out },
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, out };
}

/** The generated module's data, read back as the JSON it embeds. */
function dataOf(out: string): WorkerData {
  const text = readFileSync(out, "utf8");
  return JSON.parse(text.slice(text.indexOf("= {") + 2, text.lastIndexOf("};") + 1)) as WorkerData;
}

describe("build-worker-data", () => {
  it("bundles every published record as its exact text, and leaves drafts out", () => {
    const dir = itemsWith({ "draft.md": record({ title: "Not yet", published: "2022-06-29", draft: true }) });
    const result = build(dir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const { records } = dataOf(result.out);
    const published = [...SAMPLE_RECORDS];
    expect(Object.keys(records).sort()).toEqual(published);
    for (const name of published) expect(Buffer.from(records[name]!, "utf8")).toEqual(readFileSync(join(dir, name)));
  });

  it("the content version follows the records, and the same tree builds the same module", () => {
    const dir = itemsWith({});
    const first = build(dir);
    const again = build(dir);
    expect(readFileSync(again.out, "utf8")).toBe(readFileSync(first.out, "utf8"));
    writeFileSync(join(dir, "late.md"), record({ title: "Late", published: "2022-07-01" }));
    const changed = dataOf(build(dir).out);
    expect(changed.version).not.toBe(dataOf(first.out).version);
    expect(changed.buildId).not.toBe(dataOf(first.out).buildId);
  });

  it("leaves a bad record out, reports it with the messages the Node server logs for it, and builds the others", async () => {
    const dir = itemsWith({
      "no-title.md": record({ published: "2022-06-29" }),
      "typo.md": record({ title: "x", published: "2022-06-29", catgories: [] }),
      "binary.md": Buffer.from([0x00, 0x01, 0x02]),
    });
    const result = build(dir);
    expect(result.status).toBe(0);
    const label = relative(process.cwd(), dir);
    // What the Node server parses and logs ("skipped record: <message>") for the same directory.
    const expected = buildCatalog(await readAllRecords(directoryStore(dir, label)), siteConfig()).errors.map((e) => e.message);
    expect(expected).toHaveLength(3);
    const lines = result.stderr.trim().split("\n");
    for (const message of expected) expect(lines).toContain(message);
    expect(lines).toContain(`${label}/typo.md:4: catgories: unknown field (did you mean "categories"?)`);
    expect(lines).toContain(`${label}/no-title.md: title: is required`);
    expect(lines.at(-1)).toBe(`build-worker-data: 3 problem(s) in ${label}/; the records named are left out, the others are built`);
    const data = dataOf(result.out);
    expect(Object.keys(data.records).sort()).toEqual([...SAMPLE_RECORDS]);
    // The Worker logs these at first use, as Node does at start-up.
    expect([...data.problems].sort()).toEqual([...expected].sort());
  });
});
