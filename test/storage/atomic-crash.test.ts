/** A writer killed at any moment leaves the old record or the new one, whole: never a torn file. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record.js";
import { testSite } from "../support/fixtures.js";

async function killMidWrite(dir: string, afterMs: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/crash-writer.ts", dir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

describe("atomic record writes", () => {
  it("SIGKILL during rewrites of a 900 KB record never leaves a torn article", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wirefeed-crash-"));
    const seen = new Set<string>();
    for (const afterMs of [5, 17, 33, 60, 95, 140, 210]) {
      await killMidWrite(dir, afterMs);
      if (!readdirSync(dir).includes("story.md")) continue; // killed before the first rename
      const bytes = readFileSync(join(dir, "story.md"));
      const result = parseRecord("items/story.md", bytes, testSite());
      if (!result.ok || !("article" in result)) throw new Error(`torn record after kill at ${afterMs} ms`);
      const { title, body } = result.article;
      expect(["Version A", "Version B"]).toContain(title);
      expect(body).toBe(title.slice(-1).repeat(900_000));
      seen.add(title);
    }
    // The kills landed while writing was under way, not only before the first write.
    expect(seen.size).toBeGreaterThan(0);
    // Leftover temporary files are dot-files, which no store lists as records.
    expect(readdirSync(dir).filter((f) => !f.startsWith("."))).toEqual(["story.md"]);
  });
});
