/** `wirefeed/d1`: articles in a Cloudflare D1 database (the SQL of the SQLite store over D1), for `workerEntry(data, { d1: d1Store })`. */
export { d1Store, type D1Store, type D1StoreOptions, type VersionedListings } from "../runtime/worker-d1-store.js";
export type { D1DatabaseLike } from "../storage/sql/d1-driver.js";
/** The publish API's reader of IPTC ninjs and NewsML-G2 documents: `d1Store(db, site, log, token, { documents: readDocument })`. */
export { readDocument } from "../http/publish-documents.js";
