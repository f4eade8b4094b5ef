import { Worker } from "node:worker_threads";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import type { ParseResult } from "../core/record.js";
import type { EncodedRecord } from "../storage/parsed-record-codec.js";
import type { EncodedParseResult } from "./live-catalog.js";
import type { ParseJob } from "./parse-worker.js";

type AnyResult = ParseResult | EncodedParseResult;

interface Job extends ParseJob {
  site: SiteConfig;
  resolve: (result: AnyResult) => void;
}

type Posted =
  | ({ ok: true } & ParseResult)
  | { ok: true; encoded: EncodedRecord }
  | { ok: false; errors: { file: string; field: string; problem: string; line?: number }[] };

/**
 * One worker thread; the jobs handed to it, in order (it parses them in that
 * order: the first is the one it is on, and only its clock runs); the site
 * config it was last sent (sent again only when another); and (idle) when it
 * is let go.
 */
interface Lane {
  worker?: Worker;
  sent: Job[];
  timer?: ReturnType<typeof setTimeout>;
  site?: SiteConfig;
  idle?: ReturnType<typeof setTimeout>;
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
 * Parses (and so renders) records on worker threads, so a large or hostile
 * body never holds up the requests the main thread answers. The core's
 * limits (RENDER_LIMITS) are counted and the same everywhere; on top of them
 * this entry gives each record a time limit, measured here: a record not
 * parsed within `timeoutMs` is refused and its worker replaced (the records
 * handed to it after that one go to the next worker). Each worker parses
 * one record at a time in arrival order, and a record's clock starts when
 * its worker starts it (when the record before it came back). While
 * serving, one worker, so the machine's other core keeps serving; at
 * start-up (nothing served yet) one per core, each handed `depth` records
 * ahead, so it never waits for the main thread between two (the main thread
 * reads, digests and indexes records meanwhile, and a worker waiting on it
 * was idle a third of a 100k first start).
 */
/**
 * The worker's module: compiled (the package, dist/), the JavaScript beside
 * this one; run from source under tsx, a boot file that hands the worker
 * tsx's loader first.
 */
const WORKER_ENTRY = import.meta.url.endsWith(".ts") ? "./parse-worker-boot.mjs" : "./parse-worker.js";

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

  private enqueue(job: Omit<Job, "id" | "resolve">): Promise<AnyResult> {
    return new Promise((resolve) => {
      this.queue.push({ ...job, id: this.nextId++, resolve });
      this.next();
    });
  }

  private start(lane: Lane): Worker {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url));
    this.started++;
    lane.site = undefined;
    worker.on("message", ({ id, result }: { id: number; result: Posted }) => {
      if (lane.worker !== worker || lane.sent[0]?.id !== id) return;
      this.finish(lane, result.ok ? result : { ok: false, errors: result.errors.map((e) => new RecordError(e.file, e.field, e.problem, e.line)) });
    });
    const lost = (why: string) => {
      if (lane.worker !== worker) return; // replaced on purpose
      lane.worker = undefined;
      const job = lane.sent[0];
      if (job) this.fail(lane, new RecordError(job.file, "body", `could not be rendered (${why})`));
    };
    worker.on("error", (error) => lost(error.message));
    worker.on("exit", () => lost("the renderer stopped"));
    return worker;
  }

  /** Hands each lane jobs from the queue, up to `depth` ahead. */
  private next(): void {
    for (const lane of this.lanes) {
      while (lane.sent.length < this.depth && this.queue.length > 0) {
        const job = this.queue.shift()!;
        if (lane.idle) clearTimeout(lane.idle);
        lane.idle = undefined;
        const worker = (lane.worker ??= this.start(lane));
        // A parse under way keeps the process alive (its caller waits for it); an idle worker does not (finish).
        worker.ref();
        lane.sent.push(job);
        if (lane.sent.length === 1) this.startClock(lane);
        const { resolve: _resolve, site, ...rest } = job;
        const message: ParseJob = lane.site === site ? rest : { ...rest, site };
        lane.site = site;
        worker.postMessage(message);
      }
      if (this.queue.length === 0) return;
    }
  }

  /** The clock of the job the lane's worker is on now (the first handed to it). */
  private startClock(lane: Lane): void {
    const job = lane.sent[0]!;
    lane.timer = setTimeout(() => {
      const worker = lane.worker;
      lane.worker = undefined;
      void worker?.terminate();
      this.fail(lane, new RecordError(job.file, "body", `took longer than ${this.timeoutMs / 1000} s to render`));
    }, this.timeoutMs);
    // A parse alone must not keep a stopping server alive: a record the watcher was reading is read again at the next start.
    lane.timer.unref();
  }

  /** The lane's worker is gone while on its first job: that job is refused, the ones handed after it go back to the queue's front. */
  private fail(lane: Lane, error: RecordError): void {
    const [job, ...later] = lane.sent;
    lane.sent = [];
    clearTimeout(lane.timer);
    this.queue.unshift(...later);
    job!.resolve({ ok: false, errors: [error] });
    this.next();
  }

  private finish(lane: Lane, result: AnyResult): void {
    clearTimeout(lane.timer);
    const job = lane.sent.shift()!;
    if (lane.sent.length > 0) this.startClock(lane);
    job.resolve(result);
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
