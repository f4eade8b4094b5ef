/** `wirefeed build` and `wirefeed validate` with an embargoed record: left out of every file until its lift, and said so. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { record } from "../support/fixtures.js";
import { project, wirefeed } from "./support.js";

const NOW = new Date("2026-11-27T03:00:00Z");
const LIFT = "2026-11-27T03:02:00Z";
const RECORDS = {
  "older.md": record({ title: "Older", published: "2022-06-28T10:00:00+09:00", categories: ["Diplomacy"] }),
  "secret.md": record({ title: "Quokka merger", published: "2022-06-29T10:00:00+09:00", embargo: LIFT, categories: ["Mergers"] }, "Zanzibar vellum."),
  "scheduled.md": record({ title: "Scheduled", published: "2026-12-01T00:00:00Z" }),
};

function textUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => `${f}\n${readFileSync(join(dir, f), "utf8")}`)
    .join("\n");
}

describe("embargoes in the CLI", () => {
  it("build leaves embargoed and future-dated articles out of every file, caps every max-age at the lift, and says when to build again", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["build"], { cwd, now: NOW });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("build: embargoed articles left out; the next may be shown from 2026-11-27T03:02:00.000Z: build again then (Cache-Control ends by that instant)");
    const out = textUnder(join(cwd, "dist"));
    for (const needle of ["Quokka", "Zanzibar", "secret", "mergers", "Scheduled"]) expect(out).not.toContain(needle);
    expect(out).toContain("Older");
    const maxAges = [...readFileSync(join(cwd, "dist", "_headers"), "utf8").matchAll(/max-age=(\d+)/g)].map((m) => Number(m[1]));
    expect(maxAges.length).toBeGreaterThan(0);
    expect(Math.max(...maxAges)).toBeLessThanOrEqual(120);
    // After the lift the same folder builds with it.
    const later = await wirefeed(["build"], { cwd, now: new Date(LIFT) });
    expect(later.code).toBe(0);
    expect(textUnder(join(cwd, "dist"))).toContain("Quokka merger");
  });

  it("validate names each held-back record with the instant it is shown from; they are valid", async () => {
    const cwd = project(RECORDS);
    const result = await wirefeed(["validate"], { cwd, now: NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).toEqual(["items/scheduled.md: embargoed until 2026-12-01T00:00:00.000Z", "items/secret.md: embargoed until 2026-11-27T03:02:00.000Z"]);
  });
});
