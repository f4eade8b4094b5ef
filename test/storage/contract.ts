/**
 * The contract every record store passes. A backend's test file calls
 * `recordStoreContract(name, makeStore)`; `makeStore` gets initial records
 * and returns a fresh store holding exactly those.
 */
import { describe, expect, it } from "vitest";
import type { RecordStore, WritableRecordStore } from "../../src/storage/store.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

export function recordStoreContract(
  backend: string,
  makeStore: (records: Record<string, string>) => Promise<RecordStore>,
): void {
  describe(`${backend}: RecordStore contract`, () => {
    it("lists exactly the record names it holds", async () => {
      const store = await makeStore({ "a.md": "A", "b-2.md": "B" });
      expect((await store.list()).sort()).toEqual(["a.md", "b-2.md"]);
    });

    it("an empty store lists nothing", async () => {
      expect(await (await makeStore({})).list()).toEqual([]);
    });

    it("reads bytes back exactly, including non-ASCII text", async () => {
      const text = "---\ntitle: \"東京 — القاهرة 🚀\"\n---\nbody\n";
      const store = await makeStore({ "x.md": text });
      expect(dec(await store.read("x.md"))).toBe(text);
    });

    it("reading a missing record gives undefined", async () => {
      const store = await makeStore({ "a.md": "A" });
      expect(await store.read("missing.md")).toBeUndefined();
    });

    it("rejects names that are not plain record names", async () => {
      const store = await makeStore({ "a.md": "A" });
      for (const name of ["../a.md", "sub/a.md", "a.txt", ".hidden.md", "a\u0000.md", "/a.md", "./a.md", "..\\a.md", "sub\\a.md"]) {
        expect(await store.read(name).catch(() => undefined), name).toBeUndefined();
      }
    });

    it("describes a record by a name that contains the record's name", async () => {
      const store = await makeStore({ "a.md": "A" });
      expect(store.describe("a.md")).toMatch(/a\.md$/);
    });
  });
}

export function writableStoreContract(
  backend: string,
  makeStore: (records: Record<string, string>) => Promise<WritableRecordStore>,
): void {
  recordStoreContract(backend, makeStore);
  describe(`${backend}: WritableRecordStore contract`, () => {
    it("write creates and replaces whole records", async () => {
      const store = await makeStore({});
      await store.write("n.md", enc("one"));
      expect(dec(await store.read("n.md"))).toBe("one");
      await store.write("n.md", enc("two, longer"));
      expect(dec(await store.read("n.md"))).toBe("two, longer");
      expect(await store.list()).toEqual(["n.md"]);
    });

    it("remove deletes and says whether the record existed", async () => {
      const store = await makeStore({ "a.md": "A" });
      expect(await store.remove("a.md")).toBe(true);
      expect(await store.remove("a.md")).toBe(false);
      expect(await store.read("a.md")).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it("refuses to write outside its records", async () => {
      const store = await makeStore({});
      for (const name of ["../escape.md", "a/b.md", "x.txt", ".x.md"]) {
        await expect(store.write(name, enc("x")), name).rejects.toThrow();
      }
      expect(await store.list()).toEqual([]);
    });

    it("concurrent writes to different records all land; to one record the last wins whole", async () => {
      const store = await makeStore({});
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.write(`r${i}.md`, enc(`record ${i}`))));
      expect((await store.list()).length).toBe(20);
      const big = (c: string) => c.repeat(100_000);
      await Promise.all(["a", "b", "c"].map((c) => store.write("same.md", enc(big(c)))));
      expect(["a", "b", "c"].map(big)).toContain(dec(await store.read("same.md")));
    });
  });
}
