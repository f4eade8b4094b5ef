/**
 * Cloudflare Worker entry, articles in D1 (wrangler.toml's env "d1").
 * Bindings: DB (D1 database), SITE_URL (var, optional), PUBLISH_TOKEN
 * (secret, optional: the publish API, which also takes IPTC ninjs and
 * NewsML-G2 documents). Its data module carries the site config and build
 * id but no records (see worker-d1-store.ts).
 */
import data from "../../.generated/worker-d1-data.js";
import { d1Store, readDocument } from "../package/d1.js";
import { workerEntry } from "../package/worker.js";

export default workerEntry(data, { d1: (db, site, log, token, options) => d1Store(db, site, log, token, { ...options, documents: readDocument }) });
