/**
 * Worker thread of the parse pool (parse-pool.ts): parses and renders one
 * record at a time, off the thread that answers requests. Errors travel as
 * plain fields; the pool turns them back into RecordErrors.
 */
import { parentPort } from "node:worker_threads";
import type { SiteConfig } from "../core/config.js";
import { parseRecord } from "../core/record.js";
import { encodeRecord } from "../storage/parsed-record-codec.js";

export interface ParseJob {
  id: number;
  file: string;
  input: string | Uint8Array;
  /** The site config, sent with a worker's first job and again only when it changes (a clone per record cost the main thread). */
  site?: SiteConfig;
  /** Send the article back as the parse index encodes it (a few strings, cheap to copy across threads) rather than as objects. */
  encoded?: boolean;
}

let site: SiteConfig | undefined;

parentPort!.on("message", (job: ParseJob) => {
  site = job.site ?? site;
  const result = parseRecord(job.file, job.input, site!);
  if (result.ok && job.encoded) {
    const encoded = encodeRecord("draft" in result ? { draft: true, slug: result.slug } : { article: result.article });
    parentPort!.postMessage({ id: job.id, result: { ok: true, encoded } });
  } else if (result.ok) parentPort!.postMessage({ id: job.id, result });
  else {
    const errors = result.errors.map((e) => ({ file: e.file, field: e.field, problem: e.problem, line: e.line }));
    parentPort!.postMessage({ id: job.id, result: { ok: false, errors } });
  }
});
