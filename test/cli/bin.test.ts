/** The real `wirefeed` command: bin/wirefeed.js in a child process, as `npx wirefeed` runs it. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { copySamples, SAMPLE_RECORDS } from "../support/sample-items.js";
import { project } from "./support.js";

function bin(args: string[], stdin = "", cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [resolvePath("bin/wirefeed.js"), ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
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
    const cwd = project();
    copySamples(join(cwd, "items"));
    const result = await bin(["validate", "items"], "", cwd);
    expect(result).toEqual({ code: 0, stdout: "", stderr: `validate: ${SAMPLE_RECORDS.length} records in items, all valid\n` });
  });

  it("validate on a broken folder: the problem on stdout, exit 1", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "no-title.md"), record({ published: "2022-06-29" }));
    const result = await bin(["validate", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${dir}/no-title.md: title: is required\n`);
  });

  it("validate names the file, line and field of a 40,000-character field name (it once exited 1 naming nothing), and the other records' problems too", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "long-key.md"), `---\ntitle: t\npublished: 2022-06-29\n${"k".repeat(40_000)}: 1\n---\nbody\n`);
    writeFileSync(join(dir, "old.md"), record({ title: "Old", published: "0022-06-29" }));
    writeFileSync(join(dir, "fine.md"), record({ title: "Fine", published: "2022-06-29" }));
    const result = await bin(["validate", dir]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n").filter(Boolean).sort()).toEqual([
      `${dir}/long-key.md:4: ${"k".repeat(24)}…: field name is 40000 characters long; the limit is 64`,
      `${dir}/old.md:3: published: "0022-06-29" is in the year 22: years must be 1900–9999`,
    ]);
    expect(result.stderr).toBe(`validate: 3 records in ${dir}; 2 problems in 2 files\n`);
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
