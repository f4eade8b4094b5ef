/**
 * Cloudflare Worker entry, articles in KV (wrangler.toml's env "kv").
 * Bindings: ARTICLES (KV namespace), SITE_URL (var, optional). Its data
 * module carries the site config and build id but no records.
 */
import data from "../../.generated/worker-kv-data.js";
import { workerEntry } from "./worker-site.js";

export default workerEntry(data);
