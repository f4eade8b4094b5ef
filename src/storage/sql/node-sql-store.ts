import type { SiteConfig } from "../../core/config.js";
import type { Listings } from "../../core/listings.js";
import type { ParseResult } from "../../core/record.js";
import type { Publisher } from "../../http/publish-api.js";
import { recordDigest } from "../stamps-file.js";
import { openSqlStore } from "./derive.js";
import { openLibsql, type LibsqlDriver } from "./libsql-driver.js";
import { readVersion, RowArticles, sqlListings } from "./sql-listings.js";
import { sqlPublisher, type SqlPublisherOptions } from "./sql-publisher.js";

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
  // Kept across versions: after a write, the articles it did not touch are the same objects again.
  const rowArticles = new RowArticles();
  const current = async () => {
    // One query: the version, and the site's stats with it when it moved (readVersion).
    const { version, siteStats } = await readVersion(driver, listings?.version, site.archivePageSize);
    if (version !== listings?.version) listings = sqlListings(driver, version, { ...(siteStats ? { siteStats } : {}), archivePageSize: site.archivePageSize, rowArticles });
    return listings;
  };
  await current();
  const publisher = sqlPublisher(driver, site, {
    now: options.now,
    digest: recordDigest,
    ...(options.parse ? { parse: options.parse } : {}),
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
  return { driver, publisher, current, close: () => driver.close() };
}
