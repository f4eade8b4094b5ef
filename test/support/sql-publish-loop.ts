/**
 * A child process for the crash test: publishes (and every third time
 * withdraws) records into the SQL store at argv[2] in a tight loop, printing
 * "ack <slug> <put|delete>" once each write has committed, until killed.
 */
import { parseSiteConfig } from "../../src/core/config.js";
import { applySchema } from "../../src/storage/sql/derive.js";
import { openLibsql } from "../../src/storage/sql/libsql-driver.js";
import { sqlPublisher } from "../../src/storage/sql/sql-publisher.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { TEST_SITE_CONFIG, record } from "./fixtures.js";

const driver = openLibsql(process.argv[2]!);
await applySchema(driver);
const site = parseSiteConfig(TEST_SITE_CONFIG, "test-config");
const publisher = sqlPublisher(driver, site, { now: () => new Date(), digest: recordDigest });
const body = "A paragraph of wire copy. ".repeat(200);
for (let i = 0; ; i++) {
  const slug = `crash-${i}`;
  await publisher.put(slug, new TextEncoder().encode(record({ title: `Crash ${i}`, published: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), categories: [`Desk ${i % 7}`] }, body)));
  process.stdout.write(`ack ${slug} put\n`);
  if (i % 3 === 2) {
    await publisher.remove(`crash-${i - 1}`);
    process.stdout.write(`ack crash-${i - 1} delete\n`);
  }
}
