/** Cloudflare Worker entry point: the only reader of the Worker's bindings. */
import data from "../../.generated/worker-data.js";
import { workerSite, type WaitUntil, type WorkerEnv } from "./worker-site.js";

const log = (message: string, error?: unknown) => console.error(message, error ?? "");
// env is fixed for an isolate's life: one site per env object, built on the first request.
const sites = new WeakMap<WorkerEnv, ReturnType<typeof workerSite>>();

export default {
  fetch(request: Request, env: WorkerEnv, ctx: WaitUntil): Promise<Response> {
    let site = sites.get(env);
    if (!site) sites.set(env, (site = workerSite(data, env, log)));
    return site(request, ctx);
  },
};
