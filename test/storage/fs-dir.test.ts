import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCatalog } from "../../src/core/catalog.js";
import { MAX_RECORD_BYTES } from "../../src/core/record.js";
import { directoryStore } from "../../src/storage/fs-dir.js";
import { readAllRecords } from "../../src/storage/load.js";
import { record, testSite } from "../support/fixtures.js";
import { writableStoreContract } from "./contract.js";

function dirWith(records: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "wirefeed-store-"));
  for (const [name, text] of Object.entries(records)) writeFileSync(join(dir, name), text);
  return dir;
}

writableStoreContract("directoryStore", async (records) => directoryStore(dirWith(records), "items"));

describe("directoryStore specifics", () => {
  it("ignores non-record files and leaves no temporary files after writes", async () => {
    const dir = dirWith({ "README.txt": "x", ".a.md.swp": "x" });
    const store = directoryStore(dir, "items");
    expect(await store.list()).toEqual([]);
    await store.write("a.md", new TextEncoder().encode("A"));
    expect(readdirSync(dir).sort()).toEqual([".a.md.swp", "README.txt", "a.md"]);
    expect(store.describe("a.md")).toBe("items/a.md");
  });
});

describe("directoryStore lanes: nothing outside items/ is ever read", () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** <root>/secret.md and <root>/site.config.json outside; <root>/items/ holds one record. */
  function layout() {
    const root = mkdtempSync(join(tmpdir(), "wirefeed-lanes-"));
    roots.push(root);
    const items = join(root, "items");
    mkdirSync(items);
    writeFileSync(join(root, "secret.md"), "SECRET");
    writeFileSync(join(root, "site.config.json"), "{}");
    writeFileSync(join(items, "a.md"), "A");
    return { root, items, store: directoryStore(items, "items") };
  }

  it("traversal, encoded, absolute, NUL and backslash names read nothing", async () => {
    const { root, store } = layout();
    const names = [
      "../secret.md",
      "../../secret.md",
      "..%2fsecret.md",
      "%2e%2e%2fsecret.md",
      "..\\secret.md",
      `${root}/secret.md`,
      "/etc/passwd",
      "a.md\u0000../secret.md",
      "..",
      "../site.config.json",
      "",
    ];
    for (const name of names) {
      const bytes = await store.read(name).catch(() => undefined);
      expect(bytes, JSON.stringify(name)).toBeUndefined();
    }
    // Percent-encoding means nothing to a file system: this one is a literal (odd) name inside items/.
    const literal = new Set(["%2e%2e%2fsecret.md"]);
    for (const name of names.filter((n) => !literal.has(n))) {
      await expect(store.write(name, new TextEncoder().encode("x")), JSON.stringify(name)).rejects.toThrow();
    }
    for (const name of literal) await store.write(name, new TextEncoder().encode("x"));
    expect(readdirSync(root).sort()).toEqual(["items", "secret.md", "site.config.json"]);
    expect(readdirSync(join(root, "items")).sort()).toEqual(["%2e%2e%2fsecret.md", "a.md"]);
  });

  it("a symlink named like a record is neither listed nor followed", async () => {
    const { root, items, store } = layout();
    symlinkSync(join(root, "secret.md"), join(items, "link.md"));
    expect((await store.list()).sort()).toEqual(["a.md"]);
    expect(await store.read("link.md")).toBeUndefined();
  });

  it("a directory or FIFO named like a record is refused at once (a FIFO open would otherwise hang)", async () => {
    const { items, store } = layout();
    mkdirSync(join(items, "dir.md"));
    execFileSync("mkfifo", [join(items, "fifo.md")]);
    expect((await store.list()).sort()).toEqual(["a.md"]);
    expect(await store.read("dir.md")).toBeUndefined();
    expect(await store.read("fifo.md")).toBeUndefined();
  });

  it("a file over the size limit is read only up to the limit, and refused with its name", async () => {
    const { items, store } = layout();
    const huge = Buffer.alloc(8 * MAX_RECORD_BYTES, "a");
    huge.write(record({ title: "Huge", published: "2022-06-29" }));
    writeFileSync(join(items, "huge.md"), huge);
    expect((await store.read("huge.md"))!.length).toBe(MAX_RECORD_BYTES + 1);
    const catalog = buildCatalog(await readAllRecords(store), testSite());
    expect(catalog.errors.map((e) => e.message)).toContain(`items/huge.md: (file): is larger than the limit of ${MAX_RECORD_BYTES} bytes`);
  });

  it("a record of exactly the limit is read whole", async () => {
    const { items, store } = layout();
    writeFileSync(join(items, "max.md"), Buffer.alloc(MAX_RECORD_BYTES, "b"));
    expect((await store.read("max.md"))!.length).toBe(MAX_RECORD_BYTES);
  });
});
