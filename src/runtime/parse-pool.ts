import { Worker } from "node:worker_threads";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import type { ParseResult } from "../core/record.js";
import type { EncodedParseResult, LoadedRecord } from "./live-catalog.js";
import type { Job as WorkerJob, JobBatch, LoadJob, ParseJob, PostedBatch, PostedLoad, PostedResult } from "./parse-worker.js";

type AnyResult = ParseResult | EncodedParseResult | LoadedRecord;

type Job = WorkerJob & {
  site: SiteConfig;
  resolve: (result: AnyResult) => void;
  reject: (error: Error) => void;
};

/**
 * One worker thread; the jobs handed to it, in order (it does them in that
 * order, and says in `progress` which one it is on and since when); the
 * site config it was last sent (sent again only when another); and (idle)
 * when it is let go.
 */
interface Lane {
  worker?: Worker;
  sent: Job[];
  timer?: ReturnType<typeof setTimeout>;
  site?: SiteConfig;
  idle?: ReturnType<typeof setTimeout>;
  /** Shared with the worker (parse-worker.ts): the id of the job under way, and when it began. */
  progress?: { current: Int32Array; since: Float64Array };
}

/**
 * How long an idle worker is kept. Starting one costs far more than a
 * parse (a fresh V8 isolate loading the core and its libraries: hundreds of
 * ms of CPU under tsx), so a burst of publishes reuses one; past a quiet
 * spell it goes, giving its memory back. Idle, it does not keep the
 * process alive (unref); parsing, it does (its caller waits for it).
 */
const IDLE_MS = 30_000;

/**
 * The worker's module: compiled (the package, dist/), the JavaScript beside
 * this one; run from source under tsx, a boot file that hands the worker
 * tsx's loader first.
 */
const WORKER_ENTRY = import.meta.url.endsWith(".ts") ? "./parse-worker-boot.mjs" : "./parse-worker.js";

/**
 * Parses (and so renders) records on worker threads, so a large or hostile
 * body never holds up the requests the main thread answers. The core's
 * limits (RENDER_LIMITS) are counted and the same everywhere; on top of them
 * this entry gives each record a time limit, measured here: a record not
 * parsed within `timeoutMs` is refused and its worker replaced (the records
 * handed to it after that one, and those it had done but not yet sent back,
 * go to the next worker). Each worker parses one record at a time in arrival
 * order, and a record's clock starts when its worker starts it (the worker
 * says when, in memory shared with this thread: see parse-worker.ts). While
 * serving, one worker, so the machine's other core keeps serving; at
 * start-up (nothing served yet) one per core, each handed `depth` records
 * ahead, so it never waits for the main thread between two, in messages of
 * up to `batch` records each way (a message per record woke the other
 * thread each time: a 2-core machine then spent its time switching).
 */
export class ParsePool {
  /** Worker threads started so far (each a fresh isolate: what idle workers are kept to spare). */
  started = 0;
  private nextId = 1;
  private readonly queue: Job[] = [];
  private readonly lanes: Lane[];

  constructor(
    private readonly timeoutMs = 10_000,
    workers = 1,
    private readonly depth = 1,
    private readonly batch = 1,
  ) {
    this.lanes = Array.from({ length: Math.max(1, workers) }, () => ({ sent: [] }));
  }

  parse(file: string, input: string | Uint8Array, site: SiteConfig): Promise<ParseResult> {
    return this.enqueue({ file, input, site }) as Promise<ParseResult>;
  }

  /** parse(), the article sent back as the parse index stores it (parsed-record-codec.ts). */
  parseEncoded(file: string, input: string | Uint8Array, site: SiteConfig): Promise<EncodedParseResult> {
    return this.enqueue({ file, input, site, encoded: true }) as Promise<EncodedParseResult>;
  }

  /**
   * Record file `path` (labelled `file`) stamped, read and digested on a worker, then parsed there (encoded) unless
   * its digest is `known`: a start-up's whole work per record but the indexing. `clockOffsetMs`: see LoadJob.
   * Rejects with the error reading the file threw.
   */
  load(path: string, file: string, known: string | undefined, clockOffsetMs: number, site: SiteConfig): Promise<LoadedRecord> {
    return this.enqueue({ path, file, ...(known !== undefined ? { known } : {}), clockOffsetMs, site }) as Promise<LoadedRecord>;
  }

  private enqueue(job: (Omit<ParseJob, "id"> | Omit<LoadJob, "id">) & { site: SiteConfig }): Promise<AnyResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...job, id: this.nextId++, resolve, reject } as Job);
      this.next();
    });
  }

  private start(lane: Lane): Worker {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url));
    this.started++;
    lane.site = undefined;
    const shared = new SharedArrayBuffer(16);
    lane.progress = { current: new Int32Array(shared, 0, 1), since: new Float64Array(shared, 8, 1) };
    worker.postMessage({ jobs: [], progress: shared } satisfies JobBatch);
    worker.on("message", ({ results }: PostedBatch) => {
      if (lane.worker !== worker) return;
      for (const { id, result } of results) {
        if (lane.sent[0]?.id !== id) return;
        this.finish(lane, result);
      }
      this.settled(lane);
    });
    const lost = (why: string) => {
      if (lane.worker !== worker) return; // replaced on purpose
      lane.worker = undefined;
      const job = this.underWay(lane) ?? lane.sent[0];
      if (job) this.fail(lane, job, new RecordError(job.file, "body", `could not be rendered (${why})`));
    };
    worker.on("error", (error) => lost(error.message));
    worker.on("exit", () => lost("the renderer stopped"));
    return worker;
  }

  /** The job the lane's worker says it is on, if it is one of the lane's. */
  private underWay(lane: Lane): Job | undefined {
    const id = lane.progress ? Atomics.load(lane.progress.current, 0) : 0;
    return id === 0 ? undefined : lane.sent.find((j) => j.id === id);
  }

  /** Hands each lane jobs from the queue, up to `depth` ahead, `batch` to a message. */
  private next(): void {
    for (const lane of this.lanes) {
      while (lane.sent.length < this.depth && this.queue.length > 0) {
        if (lane.idle) clearTimeout(lane.idle);
        lane.idle = undefined;
        const worker = (lane.worker ??= this.start(lane));
        // A parse under way keeps the process alive (its caller waits for it); an idle worker does not (finish).
        worker.ref();
        const site = this.queue[0]!.site;
        const jobs: WorkerJob[] = [];
        // One site config per message: a job for another starts the next message.
        while (jobs.length < this.batch && lane.sent.length < this.depth && this.queue.length > 0 && this.queue[0]!.site === site) {
          const job = this.queue.shift()!;
          lane.sent.push(job);
          const { resolve: _resolve, reject: _reject, site: _site, ...rest } = job;
          jobs.push(rest as WorkerJob);
        }
        const message: JobBatch = lane.site === site ? { jobs } : { jobs, site };
        lane.site = site;
        worker.postMessage(message);
        if (!lane.timer) this.startClock(lane, this.timeoutMs);
      }
      if (this.queue.length === 0) return;
    }
  }

  /**
   * The lane's clock, due in `ms`: when it fires, the job the worker is on
   * (by the shared progress) is refused if it began `timeoutMs` ago or more;
   * otherwise the clock is set for when it would be (a worker still starting
   * up is on no job: its start-up is nobody's time).
   */
  private startClock(lane: Lane, ms: number): void {
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      if (lane.sent.length === 0) return;
      const job = this.underWay(lane);
      const since = job ? lane.progress!.since[0]! : Date.now();
      const left = since + this.timeoutMs - Date.now();
      if (!job || left > 0) return this.startClock(lane, Math.max(1, job ? left : this.timeoutMs));
      const worker = lane.worker;
      lane.worker = undefined;
      void worker?.terminate();
      this.fail(lane, job, new RecordError(job.file, "body", `took longer than ${this.timeoutMs / 1000} s to render`));
    }, ms);
    // A parse alone must not keep a stopping server alive: a record the watcher was reading is read again at the next start.
    lane.timer.unref();
  }

  /**
   * The lane's worker is gone while on `job`: that job is refused; the others handed to it (done but not yet sent
   * back, or not begun) go back to the queue's front, in their order.
   */
  private fail(lane: Lane, job: Job, error: RecordError): void {
    const others = lane.sent.filter((j) => j !== job);
    lane.sent = [];
    clearTimeout(lane.timer);
    lane.timer = undefined;
    this.queue.unshift(...others);
    job.resolve("path" in job ? { refused: [error] } : { ok: false, errors: [error] });
    this.next();
  }

  /** The lane's first job came back as `posted`. */
  private finish(lane: Lane, posted: PostedResult | PostedLoad): void {
    const job = lane.sent.shift()!;
    if ("failed" in posted) return job.reject(new Error(posted.failed));
    if ("gone" in posted) return job.resolve({ gone: true });
    if ("digest" in posted) {
      const { stamp, digest, parsed } = posted;
      return job.resolve({ stamp, digest, ...(parsed ? { result: revived(parsed) as EncodedParseResult } : {}) });
    }
    job.resolve(revived(posted));
  }

  /** After a message of results: the lane refilled, and let go if it has nothing left to do. */
  private settled(lane: Lane): void {
    if (lane.sent.length === 0) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
    }
    this.next();
    if (lane.sent.length === 0 && lane.worker) {
      const worker = lane.worker;
      worker.unref();
      lane.idle = setTimeout(() => {
        lane.idle = undefined;
        if (lane.worker !== worker || lane.sent.length > 0) return;
        lane.worker = undefined;
        void worker.terminate();
      }, IDLE_MS);
      lane.idle.unref();
    }
  }

  async close(): Promise<void> {
    const workers = this.lanes.map((lane) => lane.worker);
    for (const lane of this.lanes) {
      if (lane.idle) clearTimeout(lane.idle);
      lane.idle = undefined;
      lane.worker = undefined;
    }
    await Promise.all(workers.map((w) => w?.terminate()));
  }
}

/** A result as posted, its errors RecordErrors again. */
function revived(posted: PostedResult): AnyResult {
  return posted.ok ? posted : { ok: false, errors: posted.errors.map((e) => new RecordError(e.file, e.field, e.problem, e.line)) };
}
