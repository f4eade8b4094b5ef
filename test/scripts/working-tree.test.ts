/**
 * The suite does not depend on what the working tree's items/ holds: a server
 * run in a copy of the project deletes a record (leaving items/.tombstones.json)
 * and publishes another, and the tests that once counted and read items/ still
 * pass there. A scan of the test sources shows none reads items/ any more.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/** The tests that read the working tree's items/ before they got their own copies of the samples (all fast ones). */
const ONCE_READ_ITEMS = [
  "test/cli/bin.test.ts",
  "test/cli/import.test.ts",
  "test/cli/validate.test.ts",
  "test/core/feeds-roundtrip.test.ts",
  "test/core/record.test.ts",
  "test/core/wire-story.test.ts",
  "test/http/w3c-rules.test.ts",
  "test/runtime/bad-records.test.ts",
  "test/runtime/node-server.test.ts",
  "test/runtime/shutdown.test.ts",
];

/** What a read of the project's own items/ looks like in a test (paths relative to the project root). */
const READS_ITEMS = /(?:readdirSync|readFileSync|copyFileSync|directoryStore|existsSync|statSync|readFile|readdir)\(\s*["'`]items\b|ITEMS_DIR:\s*["'`]items["'`]|join\(\s*["'`]items["'`]/;

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? testSources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** The environment minus `keys`: the copy's own defaults (its items/, its config) apply. */
function withoutKeys(env: NodeJS.ProcessEnv, keys: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !keys.includes(k)));
}

const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

function call(base: string, method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: "Bearer tree-token", ...(body ? { "Content-Type": "application/json" } : {}) };
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the working tree's items/", () => {
  it("no test source reads it", () => {
    const readers = testSources("test").filter((f) => READS_ITEMS.test(readFileSync(f, "utf8")));
    expect(readers).toEqual([]);
  });

  it("after a server has deleted a record in a copy of the project, the tests that read items/ pass there", async () => {
    const copy = mkdtempSync(join(tmpdir(), "wirefeed-tree-"));
    copies.push(copy);
    // dist/: the compiled CLI the bin runs (npm test builds it first).
    for (const entry of ["bin", "dist", "items", "scripts", "src", "test", "package.json", "site.config.json", "tsconfig.json", "vitest.config.ts", "wrangler.toml"]) {
      cpSync(entry, join(copy, entry), { recursive: true });
    }
    symlinkSync(join(process.cwd(), "node_modules"), join(copy, "node_modules"));

    const server = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
      cwd: copy,
      env: { ...withoutKeys(process.env, ["ITEMS_DIR", "WIREFEED_CONFIG", "SITE_URL"]), PORT: "0", HOST: "127.0.0.1", PUBLISH_TOKEN: "tree-token" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((r) => server.once("exit", r));
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stderr!.on("data", (d: Buffer) => (out += d.toString()));
        server.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then(() => reject(new Error(`server exited: ${out}`)));
      });
      const victim = readdirSync(join(copy, "items")).filter((f) => f.endsWith(".md")).sort()[0]!.slice(0, -3);
      expect(await call(base, "DELETE", `/api/items/${victim}`)).toBe(204);
      const story = JSON.stringify({ title: "Added while running", published: "2022-07-01T09:00:00+09:00", body: "Text." });
      expect(await call(base, "PUT", "/api/items/added-while-running", story)).toBe(201);
    } finally {
      server.kill("SIGTERM");
      await exited;
    }
    // The state that used to break the suite: one record fewer, one more, and a tombstones file.
    expect(existsSync(join(copy, "items", ".tombstones.json"))).toBe(true);

    const env = withoutKeys(process.env, ["NODE_OPTIONS", ...Object.keys(process.env).filter((k) => k.startsWith("VITEST"))]);
    const run = spawnSync(process.execPath, [join(copy, "node_modules", "vitest", "vitest.mjs"), "run", ...ONCE_READ_ITEMS], { cwd: copy, env, encoding: "utf8" });
    expect(run.status, `${relative(process.cwd(), copy)}: ${run.stdout.slice(-4000)}${run.stderr.slice(-2000)}`).toBe(0);
    expect(run.stdout.replace(/\x1b\[[0-9;]*m/g, "")).toMatch(new RegExp(`Test Files\\s+${ONCE_READ_ITEMS.length} passed \\(${ONCE_READ_ITEMS.length}\\)`));
  }, 240_000);
});
