/**
 * An SqlDriver over `wrangler d1 execute` on the D1 Worker's database
 * (binding DB, wrangler env "d1"): local (wrangler's state, or
 * `--persist-to DIR`) or remote (the deployed database), so scripts run the
 * stores' own SQL (src/storage/sql/) on either. Each call is one wrangler
 * run; a batch is one SQL file, which wrangler runs as one transaction
 * locally and imports whole remotely (there the answer is wrangler's
 * summary, not each statement's rows). Reads are for small answers: wrangler
 * prints BLOB columns as text ("[1, 2]"), so none are read through here.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SqlDriver, SqlValue } from "../src/storage/sql/driver.js";
import { inlineStatement, sqlScript } from "../src/storage/sql/sql-script.js";

/** "--local" or "--remote", and what else goes to wrangler (e.g. --persist-to DIR). */
export interface WranglerD1Target {
  where: "--local" | "--remote";
  extra: readonly string[];
}

function execute(target: WranglerD1Target, input: string[]): { results?: Record<string, SqlValue>[] }[] {
  const run = spawnSync(resolve("node_modules/.bin/wrangler"), ["d1", "execute", "DB", "--env", "d1", target.where, "--json", "--yes", ...input, ...target.extra], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  if (run.status !== 0) throw new Error(`wrangler d1 execute failed (${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
  return JSON.parse(run.stdout) as { results?: Record<string, SqlValue>[] }[];
}

export function wranglerD1Driver(target: WranglerD1Target): SqlDriver {
  return {
    async all<T>(statement: Parameters<SqlDriver["all"]>[0]): Promise<T[]> {
      const [answer] = execute(target, ["--command", inlineStatement(statement)]);
      return (answer?.results ?? []) as T[];
    },
    async batch(statements) {
      if (statements.length === 0) return [];
      const dir = mkdtempSync(join(tmpdir(), "wirefeed-d1-"));
      try {
        const file = join(dir, "batch.sql");
        writeFileSync(file, sqlScript(statements));
        return execute(target, ["--file", file]).map((a) => a.results ?? []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
