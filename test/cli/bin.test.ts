/** The real `wirefeed` command: bin/wirefeed.js in a child process, as `npx wirefeed` runs it. */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";

function bin(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/wirefeed.js", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const tempDir = () => mkdtempSync(join(tmpdir(), "wirefeed-bin-"));

describe("bin/wirefeed.js", () => {
  it("validate items: the bundled records pass, exit 0", async () => {
    const result = await bin(["validate", "items"]);
    expect(result).toEqual({ code: 0, stdout: "", stderr: `validate: ${readdirSync("items").filter((f) => f.endsWith(".md")).length} records in items, all valid\n` });
  });

  it("validate on a broken folder: the problem on stdout, exit 1", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "no-title.md"), record({ published: "2022-06-29" }));
    const result = await bin(["validate", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${dir}/no-title.md: title: is required\n`);
  });

  it("a bad flag: usage error, exit 2", async () => {
    const result = await bin(["validate", "--frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wirefeed validate: unknown option --frobnicate/);
  });

  it("--help: exit 0", async () => {
    const result = await bin(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: wirefeed <command> \[options\]\n/);
  });

  it("import - reads the story from standard input", async () => {
    const dir = tempDir();
    const result = await bin(["import", "-", "--dir", dir, "--year", "2022"], readFileSync("test/fixtures/seed-article.txt", "utf8"));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${dir}/japan-pm-seeks-upgrade-of-nato-partnership-after-russias-war.md\n`);
    expect((await bin(["validate", dir])).code).toBe(0);
  });
});
