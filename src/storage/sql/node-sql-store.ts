import type { SiteConfig } from "../../core/config.js";
import type { Listings } from "../../core/listings.js";
import type { ParseResult } from "../../core/record.js";
import type { Publisher } from "../../http/publish-api.js";
import { recordDigest } from "../stamps-file.js";
import { openSqlStore } from "./derive.js";
import { openLibsql, type LibsqlDriver } from "./libsql-driver.js";
import { readVersion, RowArticles, sqlListings } from "./sql-listings.js";
import { sqlPublisher, type SqlPublisherOptions } from "./sql-publisher.js";
import { promoteDue } from "./promote.js";

export interface NodeSqlStore {
  driver: LibsqlDriver;
  publisher: Publisher;
  /** The Listings of the version the database holds now: one cheap read per call; a new object only when the version moved (a write here or by another process). */
  current(): Promise<Listings>;
  close(): void;
}

/** A SQLite database file as the Node site's store (WIREFEED_DB): created when absent. */
export async function openNodeSqlStore(
  path: string,
  site: SiteConfig,
  options: { now: () => Date; log: (message: string) => void; parse?: (file: string, bytes: Uint8Array, site: SiteConfig) => Promise<ParseResult>; onChange?: SqlPublisherOptions["onChange"] },
): Promise<NodeSqlStore> {
  const driver = openLibsql(path);
  await openSqlStore(driver, site, options);
  let listings: Listings | undefined;
  // Embargo lifts (promote.ts): one promotion at a time in this process; other writers are kept apart by the version.
  let promoting: Promise<unknown> | undefined;
  const promote = () =>
    (promoting ??= promoteDue(driver, site, {
      now: options.now,
      ...(options.parse ? { parse: options.parse } : {}),
      log: options.log,
      onLift: (after) => {
        options.log(`published (embargo lifted): ${after.file} (/items/${after.slug})`);
        options.onChange?.({ slug: after.slug, after });
      },
    }).finally(() => (promoting = undefined)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt: number | undefined;
  let closed = false;
  /** A timer for the next lift (unref'd); when it fires, current() lets the article in. */
  const scheduleLift = (at: number | undefined) => {
    if (at === timerAt || closed) return;
    clearTimeout(timer);
    timerAt = at;
    if (at === undefined) return;
    timer = setTimeout(() => {
      timerAt = undefined;
      current().catch((error: unknown) => options.log(`embargo lift failed: ${(error as Error).message}`));
    }, Math.min(Math.max(0, at - options.now().getTime()), 2 ** 31 - 1));
    timer.unref?.();
  };
  // Kept across versions: after a write, the articles it did not touch are the same objects again.
  const rowArticles = new RowArticles();
  const current = async (): Promise<Listings> => {
    // One query: the version, and the site's stats with it when it moved (readVersion).
    let read = await readVersion(driver, listings?.version, site.archivePageSize);
    if (read.nextLift !== undefined && read.nextLift <= options.now().getTime()) {
      // A lift is due (its timer not yet fired, or another process wrote it): let it in before answering.
      await promote();
      read = await readVersion(driver, listings?.version, site.archivePageSize);
    }
    const { version, siteStats, nextLift } = read;
    if (version !== listings?.version) {
      listings = sqlListings(driver, version, { ...(siteStats ? { siteStats } : {}), archivePageSize: site.archivePageSize, rowArticles, ...(nextLift !== undefined ? { nextLift } : {}) });
    }
    scheduleLift(nextLift);
    return listings;
  };
  await current();
  const writer = sqlPublisher(driver, site, {
    now: options.now,
    digest: recordDigest,
    ...(options.parse ? { parse: options.parse } : {}),
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
  // After a write, the next lift is known at once (its timer set), whether or not a request comes.
  const publisher: Publisher = {
    ...writer,
    put: async (slug, bytes, checked) => {
      const done = await writer.put(slug, bytes, checked);
      await current().catch(() => {});
      return done;
    },
  };
  const close = () => {
    closed = true;
    clearTimeout(timer);
    driver.close();
  };
  return { driver, publisher, current, close };
}
