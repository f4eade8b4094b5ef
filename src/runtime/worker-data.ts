/** What scripts/build-worker-data.ts compiles into .generated/worker-data.ts for the Worker to import. */
export interface WorkerData {
  /** Hash of the sources, lockfile and data the bundle was built from: a new build never meets an old edge-cache entry. */
  buildId: string;
  /** Content version of `records` and the config (changes whenever a record, a tombstone, a change stamp or the config does). */
  version: string;
  /** site.config.json as parsed JSON; the Worker validates it with parseSiteConfig, SITE_URL overriding. */
  siteConfig: unknown;
  /** Record name → its exact text: the published records of items/. */
  records: Record<string, string>;
  /** The records folder's .tombstones.json as stored (see core/tombstone.ts); absent or empty: none. */
  tombstones?: unknown[];
  /** Why each broken record of items/ was left out of `records` (`file:line: field: problem`), logged by the Worker. */
  problems: string[];
  /** items/.changes.json as the build read (and completed) it: the records' change stamps (Last-Modified). */
  stamps?: string;
  /** When each bundled article held back at build time may be shown (core/embargo.ts), ms, ascending: the Worker lets each in then. */
  lifts?: number[];
}
