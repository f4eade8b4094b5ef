/** What scripts/build-worker-data.ts compiles into .generated/worker-data.ts for the Worker to import. */
export interface WorkerData {
  /** Hash of the sources, lockfile and data the bundle was built from: a new build never meets an old edge-cache entry. */
  buildId: string;
  /** Content version of `records` and the config (same meaning as a KV index's version). */
  version: string;
  /** site.config.json as parsed JSON; the Worker validates it with parseSiteConfig, SITE_URL overriding. */
  siteConfig: unknown;
  /** Record name → its exact text. Empty in a build for KV, where the records live in the namespace. */
  records: Record<string, string>;
  /** The records folder's .tombstones.json as stored (see core/tombstone.ts); absent or empty: none. Empty in a build for KV (the index holds them). */
  tombstones?: unknown[];
  /** Why each broken record of items/ was left out of `records` (`file:line: field: problem`), logged by the Worker. */
  problems: string[];
  /** items/.changes.json as the build read (and completed) it: the records' change stamps (Last-Modified). Absent in a build for KV. */
  stamps?: string;
}
