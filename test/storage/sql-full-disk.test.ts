/**
 * A full disk under the SQL store: the publish API answers 507, the write
 * is not made, and every write acknowledged before it is still there after
 * the database is opened again. Needs root (a small tmpfs is mounted); skipped otherwise.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { publishApi } from "../../src/http/publish-api.js";
import { applySchema } from "../../src/storage/sql/derive.js";
import { openLibsql } from "../../src/storage/sql/libsql-driver.js";
import { sqlListings, storedVersion } from "../../src/storage/sql/sql-listings.js";
import { sqlPublisher } from "../../src/storage/sql/sql-publisher.js";
import { recordDigest } from "../../src/storage/stamps-file.js";
import { SITE_SCOPE } from "../../src/core/scopes.js";
import { record } from "../support/fixtures.js";
import { CONTRACT_SITE } from "./listings-builders.js";

const mountPoint = mkdtempSync(join(tmpdir(), "wirefeed-full-"));
let mounted = false;
try {
  if (process.getuid?.() === 0) {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1536k", "tmpfs", mountPoint], { stdio: "ignore" });
    mounted = true;
  }
} catch {
  mounted = false;
}
afterAll(() => {
  // Lazily: the file handle libsql held may be released only when this worker ends.
  if (mounted) execFileSync("umount", ["-l", mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

test.skipIf(!mounted)("a full disk: 507, nothing half-written, every acknowledged write kept", async () => {
  const file = join(mountPoint, "full.db");
  let driver = openLibsql(file);
  await applySchema(driver);
  const publisher = sqlPublisher(driver, CONTRACT_SITE, { now: () => new Date(), digest: recordDigest });
  const api = publishApi(CONTRACT_SITE, { token: "t", publisher });
  const body = "Wire copy that does not compress away. ".repeat(400);
  const acknowledged: string[] = [];
  let status = 0;
  for (let i = 0; i < 500 && status !== 507; i++) {
    const text = record({ title: `Full ${i}`, published: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString() }, `${body}${i}`);
    const res = await api.request(`/items/full-${i}`, { method: "PUT", headers: { Authorization: "Bearer t", "Content-Type": "text/markdown" }, body: text });
    status = res.status;
    if (status === 201) acknowledged.push(`full-${i}`);
    else expect(status).toBe(507);
  }
  expect(status).toBe(507);
  expect(acknowledged.length).toBeGreaterThan(3);
  driver.close();
  driver = openLibsql(file);
  try {
    expect(await driver.all({ sql: "PRAGMA integrity_check" })).toEqual([{ integrity_check: "ok" }]);
    const listings = sqlListings(driver, await storedVersion(driver));
    expect((await listings.newest(SITE_SCOPE, 1000, "published")).map((a) => a.slug).sort()).toEqual([...acknowledged].sort());
    const records = await driver.all({ sql: "SELECT COUNT(*) AS n FROM records" });
    expect(Number(records[0]!.n)).toBe(acknowledged.length);
  } finally {
    driver.close();
  }
});
