import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { TEST_SITE_CONFIG } from "../support/fixtures.js";

/** The site config the CLI tests write: the same site as test/support/fixtures.ts testSite(). */
export const SITE_CONFIG = TEST_SITE_CONFIG;

/** A temporary site folder: site.config.json and items/ with the given records. */
export function project(records: Record<string, string | Uint8Array> = {}, config: Record<string, unknown> = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), "wirefeed-cli-"));
  writeFileSync(join(cwd, "site.config.json"), JSON.stringify({ ...SITE_CONFIG, ...config }));
  mkdirSync(join(cwd, "items"));
  for (const [name, content] of Object.entries(records)) writeFileSync(join(cwd, "items", name), content);
  return cwd;
}

/** Every file under items/, name → text: to show a command wrote, or left, exactly these. */
export function itemsOf(cwd: string): Record<string, string> {
  const dir = join(cwd, "items");
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

export interface Outcome {
  code: number;
  stdout: string[];
  stderr: string[];
}

export interface RunOptions {
  cwd: string;
  now?: Date;
  stdin?: string;
  env?: Record<string, string | undefined>;
}

/** Runs `wirefeed <argv>` in-process with a fixed clock and captured output. */
export async function wirefeed(argv: string[], options: RunOptions): Promise<Outcome> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    cwd: options.cwd,
    now: () => options.now ?? new Date("2026-11-27T03:00:00Z"),
    env: options.env ?? {},
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ""),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
