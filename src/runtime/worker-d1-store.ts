import type { SiteConfig } from "../core/config.js";
import type { Listings } from "../core/listings.js";
import { feedsShowing } from "../core/topics.js";
import { createApp, type Logger } from "../http/app.js";
import type { DocumentReader } from "../http/document-types.js";
import { websubNotifier } from "../http/websub.js";
import { d1Driver, type D1DatabaseLike } from "../storage/sql/d1-driver.js";
import { derivedFingerprint } from "../storage/sql/rows.js";
import { readVersion, sqlListings } from "../storage/sql/sql-listings.js";
import { sqlPublisher } from "../storage/sql/sql-publisher.js";
import { promoteDue } from "../storage/sql/promote.js";
import { applySchema } from "../storage/sql/derive.js";
import type { WaitUntil } from "./worker-site.js";

/** The articles at one content version, as the Worker answers a request from them. */
export interface VersionedListings {
  catalog: Listings;
  version: string;
}

export interface D1Store {
  /**
   * The current listings: one read of the version per call; one Listings
   * object per version per isolate. When an embargo's lift is due it is let
   * in first (promote.ts), so no request after the instant is answered from
   * the version before it (nor is its edge cache entry, keyed by version, used).
   */
  source(ctx?: WaitUntil): Promise<VersionedListings>;
  /** The Cron Trigger's work: lets in every embargo due, and pings the hub for them. */
  scheduled(ctx: WaitUntil): Promise<void>;
  /** The publish API (/api/…), when a token is set: each write one D1 batch. */
  api?: (request: Request, ctx: WaitUntil) => Promise<Response>;
}

export interface D1StoreOptions {
  /**
   * The publish API's reader of IPTC ninjs and NewsML-G2 documents
   * (http/publish-documents.ts readDocument). worker-d1.ts passes none: the
   * readers and their XML parser add ~17 KiB (gzip), past the Worker's
   * 160 KiB budget; a Worker of your own may pass it.
   */
  documents?: DocumentReader;
  /** The clock, ms since the epoch: embargoes' lifts (tests pass a fake one). */
  now?: () => number;
}

/**
 * The Worker's articles in D1 (wrangler env "d1", binding DB): the same SQL
 * the Node SQLite store runs (src/storage/sql/), over the D1 driver. Reads
 * make no other state than the Listings of the newest version seen, so
 * every isolate serves what the database holds as soon as the version
 * moves, and a publish through any isolate or location is never lost: it
 * is one D1 batch that commits or fails whole.
 */
export function d1Store(db: D1DatabaseLike, site: SiteConfig, log: Logger, token: string | undefined, options: D1StoreOptions = {}): D1Store {
  const clock = options.now ?? Date.now;
  const driver = d1Driver(db);
  let current: VersionedListings | undefined;
  const fingerprint = derivedFingerprint(site);
  let warned = false;
  const now = () => new Date(clock());
  // One hub per isolate: lifts are pinged (when they happen, not when the record was written), and so are API writes.
  const hub = site.websubHub ? websubNotifier({ hub: site.websubHub, log: (m) => log(m) }) : undefined;
  /** Lets in what is due; of isolates racing to do it, one commits (promote.ts), the others find nothing left. */
  const lift = async (ctx?: WaitUntil) => {
    await promoteDue(driver, site, {
      now,
      log: (m) => log(m),
      onLift: (after) => hub?.notify(feedsShowing(site, after)),
    });
    if (hub) ctx?.waitUntil(hub.idle());
  };

  const source = async (ctx?: WaitUntil): Promise<VersionedListings> => {
    // The request's one read: the version, what the rows were derived for and (only when the
    // version is new to this isolate) the site's stats, in one query.
    let read = await readVersion(driver, current?.version, site.archivePageSize);
    if (read.nextLift !== undefined && read.nextLift <= clock()) {
      // Past a lift the Cron Trigger has not run yet: this request lets it in, then reads again.
      await lift(ctx);
      read = await readVersion(driver, current?.version, site.archivePageSize);
    }
    const { version, derivedFor, siteStats, nextLift } = read;
    // Rows are derived with the site config (links from baseUrl, default ids and authors): loaded
    // with another one, pages and feeds would disagree. Said loudly, once per isolate.
    if (derivedFor !== undefined && derivedFor !== fingerprint && !warned) {
      warned = true;
      log(`D1: the articles were loaded for another site config (${derivedFor}); run npm run d1:load with this Worker's SITE_URL (${site.baseUrl})`);
    }
    if (current?.version !== version) {
      current = {
        catalog: sqlListings(driver, version, { ...(siteStats ? { siteStats } : {}), archivePageSize: site.archivePageSize, ...(nextLift !== undefined ? { nextLift } : {}) }),
        version,
      };
    }
    return current;
  };

  /** The digest records are stamped by (base64 SHA-256, as recordDigest on Node), with the Web Crypto API. */
  const digest = async (bytes: Uint8Array) => {
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
    let binary = "";
    for (const byte of hash) binary += String.fromCharCode(byte);
    return btoa(binary);
  };

  const scheduled = (ctx: WaitUntil) => lift(ctx);
  if (!token) return { source, scheduled };
  // One publisher per isolate: it takes this isolate's writes one at a time, so they never retry against
  // each other; writers elsewhere (other isolates, locations, d1:load) are kept apart by the version each
  // batch commits over. Each API request waits for the pings it may have caused.
  const publisher = sqlPublisher(driver, site, {
    now,
    digest,
    ...(hub ? { onChange: ({ before, after }) => hub.notify([...feedsShowing(site, before), ...feedsShowing(site, after)]) } : {}),
  });
  // Writes are rare: an app of their own, so the site's app and caches never hold a publisher.
  const app = createApp({ site, catalog: async () => (await source()).catalog, log, publish: { token, publisher, ...(options.documents ? { documents: options.documents } : {}) }, now: clock });
  // Tables a database loaded by an older release lacks (the `embargoed` one) are made before this isolate's
  // first write, so its writes work at once (its rows are derived again by the next d1:load). Idempotent.
  let schema: Promise<void> | undefined;
  const api = async (request: Request, ctx: WaitUntil): Promise<Response> => {
    // Its failure is not the request's: tried again next time, and the write answers for itself.
    await (schema ??= applySchema(driver).catch((error: unknown) => {
      schema = undefined;
      log("D1: could not create the tables this release adds", error);
    }));
    const response = await app.fetch(request);
    if (hub) ctx.waitUntil(hub.idle());
    return response;
  };
  return { source, scheduled, api };
}
