/**
 * Cloudflare Worker entry, articles bundled (wrangler.toml's top level).
 * Bindings: SITE_URL (var, optional). Everything else is in worker-site.ts.
 */
import data from "../../.generated/worker-data.js";
import { workerEntry } from "../package/worker.js";

export default workerEntry(data);
