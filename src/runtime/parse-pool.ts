import { Worker } from "node:worker_threads";
import type { SiteConfig } from "../core/config.js";
import { RecordError } from "../core/errors.js";
import type { ParseResult } from "../core/record.js";
import type { ParseJob } from "./parse-worker.js";

interface Job extends ParseJob {
  resolve: (result: ParseResult) => void;
}

type Posted = { ok: true } & ParseResult | { ok: false; errors: { file: string; field: string; problem: string; line?: number }[] };

/**
 * Parses (and so renders) records on a worker thread, so a large or hostile
 * body never holds up the requests the main thread answers. The core's
 * limits (RENDER_LIMITS) are counted and the same everywhere; on top of them
 * this entry gives each record a time limit, measured here: a record not
 * parsed within `timeoutMs` is refused and the worker replaced. One worker,
 * one record at a time in arrival order (its clock starts when it is handed
 * over), so the machine's other core keeps serving.
 */
export class ParsePool {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly queue: Job[] = [];
  private busy: { job: Job; timer: ReturnType<typeof setTimeout> } | undefined;

  constructor(private readonly timeoutMs = 10_000) {}

  parse(file: string, input: string | Uint8Array, site: SiteConfig): Promise<ParseResult> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, file, input, site, resolve });
      this.next();
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL("./parse-worker-boot.mjs", import.meta.url));
    worker.unref();
    worker.on("message", ({ id, result }: { id: number; result: Posted }) => {
      if (this.busy?.job.id !== id) return;
      this.finish(result.ok ? result : { ok: false, errors: result.errors.map((e) => new RecordError(e.file, e.field, e.problem, e.line)) });
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return; // replaced on purpose
      this.worker = undefined;
      if (this.busy) this.finish({ ok: false, errors: [new RecordError(this.busy.job.file, "body", `could not be rendered (${why})`)] });
    };
    worker.on("error", (error) => lost(error.message));
    worker.on("exit", () => lost("the renderer stopped"));
    return worker;
  }

  private next(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = (this.worker ??= this.start());
    const timer = setTimeout(() => {
      this.worker = undefined;
      void worker.terminate();
      this.finish({ ok: false, errors: [new RecordError(job.file, "body", `took longer than ${this.timeoutMs / 1000} s to render`)] });
    }, this.timeoutMs);
    // A parse alone must not keep a stopping server alive: a record the watcher was reading is read again at the next start.
    timer.unref();
    this.busy = { job, timer };
    const { resolve: _resolve, ...message } = job;
    worker.postMessage(message satisfies ParseJob);
  }

  private finish(result: ParseResult): void {
    const busy = this.busy!;
    clearTimeout(busy.timer);
    this.busy = undefined;
    busy.job.resolve(result);
    this.next();
    // Idle, the worker goes: it would keep a stopping process alive, and a burst (start-up) keeps it busy anyway.
    if (!this.busy && this.worker) {
      const worker = this.worker;
      this.worker = undefined;
      void worker.terminate();
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
