import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { directoryStore } from "../../src/storage/fs-dir.js";
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
