/**
 * Worker thread of the parse pool (parse-pool.ts): parses and renders
 * records, off the thread that answers requests. Jobs come in batches (one
 * message for several records, one message back with their results: a
 * message each way per record woke the other thread each time). Which job
 * it is on, and since when, it writes to memory shared with the pool, whose
 * clock refuses a record that takes too long. Errors travel as plain fields;
 * the pool turns them back into RecordErrors.
 */
import { parentPort } from "node:worker_threads";
import type { SiteConfig } from "../core/config.js";
import { parseRecord, type ParseResult } from "../core/record.js";
import { stampOfStats, type FileStamp } from "../storage/file-stamp.js";
import { readRecordFileAndStats } from "../storage/fs-dir.js";
import { encodeRecord, type EncodedRecord } from "../storage/parsed-record-codec.js";
import { recordDigest } from "../storage/stamps-file.js";

/** Parse these bytes. */
export interface ParseJob {
  id: number;
  file: string;
  input: string | Uint8Array;
  /** Send the article back as the parse index encodes it (a few strings, cheap to copy across threads) rather than as objects. */
  encoded?: boolean;
}

/**
 * Stamp, read and digest the record file at `path` (labelled `file`), then
 * parse it (encoded) unless its digest is `known`: what a first start does
 * for each record, done here so the main thread only indexes the results.
 */
export interface LoadJob {
  id: number;
  file: string;
  path: string;
  known?: string;
  /** Added to this thread's Date.now() for the stamp's `settled` (the parse index's clock, which tests may set ahead). */
  clockOffsetMs: number;
}

export type Job = ParseJob | LoadJob;

/** Jobs for the worker, in the order it does them. */
export interface JobBatch {
  jobs: Job[];
  /** The site config, sent with a worker's first batch and again only when it changes (a clone per record cost the main thread). */
  site?: SiteConfig;
  /** Sent with the first batch: [0] the id of the job under way (0: none), as Int32; [1] (Float64, bytes 8-16) since when (ms, Date.now). */
  progress?: SharedArrayBuffer;
}

/** A parse result as it crosses threads (errors as plain fields). */
export type PostedResult =
  | ({ ok: true } & ParseResult)
  | { ok: true; encoded: EncodedRecord }
  | { ok: false; errors: { file: string; field: string; problem: string; line?: number }[] };

/**
 * What a LoadJob found: no regular file there; the file's stamp (taken before the read) and digest, and the parse unless
 * the digest was the known one; or the error reading it threw (the main thread throws it, as its own read would have).
 */
export type PostedLoad = { gone: true } | { stamp: FileStamp | undefined; digest: string; parsed?: PostedResult } | { failed: string };

export interface PostedBatch {
  results: { id: number; result: PostedResult | PostedLoad }[];
}

let site: SiteConfig | undefined;
let current: Int32Array | undefined;
let since: Float64Array | undefined;

function parsed(file: string, input: string | Uint8Array, encoded: boolean | undefined): PostedResult {
  const result = parseRecord(file, input, site!);
  if (result.ok && encoded) return { ok: true, encoded: encodeRecord("draft" in result ? { draft: true, slug: result.slug } : { article: result.article }) };
  if (result.ok) return result;
  return { ok: false, errors: result.errors.map((e) => ({ file: e.file, field: e.field, problem: e.problem, line: e.line })) };
}

function loaded(job: LoadJob): PostedLoad {
  // The clock read first: a stamp is judged settled by a time no later than the one it was taken at.
  const nowMs = Date.now() + job.clockOffsetMs;
  // Stamped (fstat of the open file) before the bytes are read: a write in between makes the stamp older than the bytes, never newer.
  const read = readRecordFileAndStats(job.path);
  if (!read) return { gone: true };
  const { bytes, stats } = read;
  const stamp = stampOfStats(stats, nowMs);
  const digest = recordDigest(bytes);
  if (digest === job.known) return { stamp, digest };
  return { stamp, digest, parsed: parsed(job.file, bytes, true) };
}

parentPort!.on("message", (batch: JobBatch) => {
  site = batch.site ?? site;
  if (batch.progress) {
    current = new Int32Array(batch.progress, 0, 1);
    since = new Float64Array(batch.progress, 8, 1);
  }
  const results: PostedBatch["results"] = [];
  for (const job of batch.jobs) {
    // The time first, then the id (Atomics.store orders them): the pool never pairs an id with an older job's time.
    since![0] = Date.now();
    Atomics.store(current!, 0, job.id);
    let result: PostedResult | PostedLoad;
    if (!("path" in job)) result = parsed(job.file, job.input, job.encoded);
    else {
      try {
        result = loaded(job);
      } catch (error) {
        // A read that failed (EACCES, EIO): only that job's caller hears of it, not the rest of the batch.
        result = { failed: `${job.file}: ${(error as Error).message}` };
      }
    }
    results.push({ id: job.id, result });
  }
  Atomics.store(current!, 0, 0);
  // The pool's first message (the shared progress, no jobs) needs no answer.
  if (results.length > 0) parentPort!.postMessage({ results } satisfies PostedBatch);
});
