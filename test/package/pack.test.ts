/**
 * The package as a user gets it: `npm pack` of a copy of this repository
 * (its prepack builds dist/), the tarball installed into an empty temporary
 * project, and the README's "Use it in your own Hono app" host.ts, exactly
 * as written there, type-checked against the installed .d.ts, compiled and
 * served: the feeds and pages under /news/ and the host's own routes.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { copySamples } from "../support/sample-items.js";

const REPO = resolve(".");
const NODE_MODULES = join(REPO, "node_modules");

/** The first ```ts block of the README's "Use it in your own Hono app" section, as written. */
export function readmeHostTs(readme = readFileSync(join(REPO, "README.md"), "utf8")): string {
  const section = readme.split("\n## Use it in your own Hono app\n")[1]?.split("\n## ")[0];
  const block = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('README.md: no ```ts block in "Use it in your own Hono app"');
  return block;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const npm = (args: string[], cwd: string) => run(process.platform === "win32" ? "npm.cmd" : "npm", args, cwd);

describe("npm pack, installed into an empty project", () => {
  const root = mkdtempSync(join(tmpdir(), "wirefeed-pack-"));
  const host = join(root, "host");
  let tarball = "";
  let files: string[] = [];
  let server: ChildProcess | undefined;
  let base = "";

  beforeAll(async () => {
    // A copy of what the package is made from, so its build never touches this checkout's dist/.
    const source = join(root, "source");
    mkdirSync(source);
    for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "README.md", "src", "bin", "test/fixtures/items"]) cpSync(join(REPO, entry), join(source, entry), { recursive: true });
    symlinkSync(NODE_MODULES, join(source, "node_modules"));
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", root], source)) as { filename: string; files: { path: string }[] }[];
    tarball = join(root, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path).sort();

    mkdirSync(host);
    writeFileSync(join(host, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
    // The host's own Hono and adapter, at the versions this repository tests with (from npm's cache when it has them).
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `hono@${pkg.devDependencies.hono}`, `@hono/node-server@${pkg.dependencies["@hono/node-server"]}`], host);
    copySamples(join(host, "items"));
    writeFileSync(join(host, "host.ts"), readmeHostTs());
    writeFileSync(
      join(host, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, types: ["node"], typeRoots: [join(NODE_MODULES, "@types")] },
        files: ["host.ts"],
      }),
    );
  }, 600_000);

  afterAll(() => {
    server?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it("the tarball holds the compiled package and its launcher, not the sources or tests", () => {
    expect(files).toContain("dist/package/index.js");
    expect(files).toContain("dist/package/index.d.ts");
    expect(files).toContain("dist/package/node.d.ts");
    expect(files).toContain("bin/wirefeed.js");
    // Of the tests, only the sample records the contract suite (wirefeed/contract) runs on.
    expect(files).toContain("test/fixtures/items/kuwait-oil-output-steady.md");
    expect(files.filter((f) => (/^(src|test|scripts)\//.test(f) && !/^test\/fixtures\/items\/[^/]+\.md$/.test(f)) || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
    // One Hono: the host's (a peer), not a copy of the package's own.
    expect(readdirSync(join(host, "node_modules/wirefeed"))).not.toContain("node_modules");
  });

  it("host.ts type-checks against the installed package, compiles, and serves the site under /news/ beside the host's routes", async () => {
    run(process.execPath, [join(NODE_MODULES, "typescript/bin/tsc"), "-p", "."], host);
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = spawn(process.execPath, ["host.js"], { cwd: host, env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    server.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    await new Promise<void>((ready, fail) => {
      server!.once("exit", (code) => fail(new Error(`host.js exited ${code}:\n${output}`)));
      server!.stdout!.on("data", () => output.includes("/news/") && ready());
    });

    const about = await fetch(`${base}/about`);
    expect(about.status).toBe(200);
    expect(await about.text()).toBe("about");
    expect((await fetch(`${base}/contact`, { method: "POST" })).status).toBe(201);

    const rss = await fetch(`${base}/news/rss.xml`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(await rss.text()).toContain(`<link>${base}/news/</link>`);
    const json = (await (await fetch(`${base}/news/feed.json`)).json()) as { items: { url: string }[] };
    expect(json.items.length).toBeGreaterThan(0);
    for (const item of json.items) expect(item.url.startsWith(`${base}/news/items/`)).toBe(true);
    const article = await fetch(json.items[0]!.url);
    expect(article.status).toBe(200);
    expect(article.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const front = await fetch(`${base}/news/`, { headers: { "Accept-Encoding": "gzip" } });
    expect(front.status).toBe(200);
    expect(front.headers.get("content-encoding")).toBe("gzip");
    // Outside what the site has: the host's.
    expect((await fetch(`${base}/news/nope`)).status).toBe(404);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  }, 300_000);

  it("the installed `wirefeed` command runs the compiled CLI", () => {
    cpSync(join(REPO, "site.config.json"), join(host, "site.config.json"));
    const result = spawnSync(join(host, "node_modules/.bin/wirefeed"), ["validate", "items"], { cwd: host, encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: "" });
    expect(result.stderr).toMatch(/^validate: \d+ records in items, all valid\n$/);
  });
});
