import { describe, expect, it } from "vitest";
import { bundleStore } from "../../src/storage/bundle.js";
import { recordStoreContract } from "./contract.js";

recordStoreContract("bundleStore", async (records) => bundleStore(records));

describe("bundleStore specifics", () => {
  it("gives back the exact bytes of the text it was built from, byte-order mark included", async () => {
    const text = "\uFEFF---\ntitle: \"x\"\n---\nbody\r\n";
    const bytes = await bundleStore({ "x.md": text }).read("x.md");
    expect(Buffer.from(bytes!)).toEqual(Buffer.from(text, "utf8"));
  });

  it("names records as the items directory does, and has no record named like an object's properties", async () => {
    const store = bundleStore({ "a.md": "A" });
    expect(store.describe("a.md")).toBe("items/a.md");
    expect(await store.read("constructor.md")).toBeUndefined();
    expect(await store.read("__proto__.md")).toBeUndefined();
  });
});
