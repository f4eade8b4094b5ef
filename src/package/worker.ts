/**
 * `wirefeed/worker`: the Cloudflare Worker over a build's data (records
 * bundled, or in D1 with `d1Store` from `wirefeed/d1`). The repository's
 * Workers (src/runtime/worker.ts, worker-d1.ts) are built from this alone.
 */
export { bundleApp, workerEntry, workerSite, type WaitUntil, type WorkerEnv, type WorkerStores } from "../runtime/worker-site.js";
export type { WorkerData } from "../runtime/worker-data.js";
