/**
 * Worker thread of sql-database.ts: generates wire stories `from`..`to`
 * (generate-store.ts's generateRecord), parses each as the server would
 * (parseRecord: body rendered to sanitized HTML) and turns it into the SQL
 * store's own rows (rows.ts: writeRecord, writeArticle), posted in chunks
 * for the main thread to commit. Parsing is most of a build's cost; doing
 * it here lets the writes go on meanwhile.
 */
import { parentPort, workerData } from "node:worker_threads";
import { reconcileStamps } from "../../src/core/change-stamps.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { parseRecord } from "../../src/core/record.js";
import type { SqlStatement } from "../../src/storage/sql/driver.js";
import { writeArticle, writeRecord } from "../../src/storage/sql/rows.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { generateRecord } from "./generate-store.js";

export interface RowsJob {
  from: number;
  to: number;
  chunk: number;
  siteConfig: unknown;
  siteUrl: string;
  nowMs: number;
}

export type RowsMessage = { statements: SqlStatement[]; articles: number } | { error: string };

const job = workerData as RowsJob;
const site = parseSiteConfig(job.siteConfig, "site.config.json", job.siteUrl);
const encoder = new TextEncoder();

// At most two chunks waiting for the writer (each is tens of MB): the main thread acknowledges each one it has committed.
let outstanding = 0;
let wake: (() => void) | undefined;
parentPort!.on("message", () => {
  outstanding--;
  wake?.();
});
const room = () => (outstanding < 2 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));

for (let start = job.from; start < job.to; start += job.chunk) {
  const current = [];
  for (let i = start; i < Math.min(job.to, start + job.chunk); i++) {
    const record = generateRecord(i);
    const bytes = encoder.encode(record.text);
    const parsed = parseRecord(record.name, bytes, site);
    if (!parsed.ok || "draft" in parsed) {
      parentPort!.postMessage({ error: `generated record ${record.name} does not parse: ${parsed.ok ? "a draft" : parsed.errors.map((e) => e.message).join("; ")}` } satisfies RowsMessage);
      process.exit(1);
    }
    current.push({ name: record.name, sha: recordDigest(bytes), bytes, article: { ...parsed.article, file: record.name } });
  }
  // No earlier stamps: each record is dated by its own dates, as `db load` of a folder without .changes.json dates it.
  const stamps = reconcileStamps(undefined, current, new Date(job.nowMs));
  const statements: SqlStatement[] = [];
  for (const { name, sha, bytes, article } of current) {
    // writeArticle replaces a slug's rows: its DELETEs come first, and a new database has nothing to delete.
    const rows = writeArticle(article, sha, stamps.records.get(name)!).filter((s) => !s.sql.startsWith("DELETE "));
    statements.push(writeRecord(name, bytes, sha), ...rows);
  }
  await room();
  outstanding++;
  parentPort!.postMessage({ statements, articles: current.length } satisfies RowsMessage);
}
parentPort!.close();
