/** The workerd tests' D1 database (vitest.worker.config.ts binds it as DB): emptied, loaded, counted. */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import bundleData from "../../.generated/worker-data.js";
import d1Data from "../../.generated/worker-d1-data.js";
import { parseStamps } from "../../src/core/change-stamps.js";
import { parseSiteConfig, type SiteConfig } from "../../src/core/config.js";
import { parseTombstones, type Tombstone } from "../../src/core/tombstone.js";
import { readDocument } from "../../src/http/publish-documents.js";
import { d1Store } from "../../src/runtime/worker-d1-store.js";
import { workerSite, type WorkerStores } from "../../src/runtime/worker-site.js";
import { d1Driver, type D1DatabaseLike } from "../../src/storage/sql/d1-driver.js";
import { applySchema, replaceContents } from "../../src/storage/sql/derive.js";

export const SITE_URL = "https://wire.example/";
export const site: SiteConfig = parseSiteConfig(d1Data.siteConfig, "site.config.json", SITE_URL);
export const driver = d1Driver(env.DB);
export const enc = (text: string) => new TextEncoder().encode(text);

/** The digest stamps are keyed by (as recordDigest in stamps-file.ts, without node:crypto). */
export async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return btoa(String.fromCharCode(...hash));
}

/** Drops every table of the test database (D1's own `_cf_` tables excepted). */
export async function dropAll(): Promise<void> {
  const tables = await driver.all<{ name: string }>({ sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'" });
  if (tables.length > 0) await driver.batch(tables.map((t) => ({ sql: `DROP TABLE "${t.name}"` })));
}

/**
 * A database holding exactly these records (name → text), withdrawals and
 * stamps, loaded as `npm run d1:load` loads a folder (replaceContents).
 * Default: the fixture items the bundle carries, with their stamps.
 */
export async function loadD1(
  records: Record<string, string> = bundleData.records,
  options: { tombstones?: readonly Tombstone[]; stamps?: string; site?: SiteConfig } = { tombstones: parseTombstones(bundleData.tombstones ?? []), stamps: bundleData.stamps },
): Promise<void> {
  await dropAll();
  await applySchema(driver);
  const stored = await Promise.all(Object.entries(records).map(async ([name, text]) => ({ name, bytes: enc(text), sha: await digest(enc(text)) })));
  await replaceContents(driver, options.site ?? site, {
    records: stored,
    tombstones: options.tombstones ?? [],
    previous: options.stamps ? parseStamps(JSON.parse(options.stamps), "bundle stamps") : undefined,
    now: new Date(),
    label: (name) => `items/${name}`,
  });
}

/** The real binding, with every statement it is asked to run recorded (prepare, in order): what a request costs. */
export function countingDb(db: D1DatabaseLike = env.DB): { db: D1DatabaseLike; queries: string[] } {
  const queries: string[] = [];
  return {
    db: {
      prepare(sql) {
        queries.push(sql);
        return db.prepare(sql);
      },
      batch: (statements) => db.batch(statements),
    },
    queries,
  };
}

/** The D1 store as worker-d1.ts hands it to the Worker (its publish API reads IPTC documents too). */
const shippedD1: NonNullable<WorkerStores["d1"]> = (db, site, log, token, options) => d1Store(db, site, log, token, { ...options, documents: readDocument });

/**
 * A fresh isolate of the D1 Worker (its own per-isolate state; the same
 * database and edge cache), as worker-d1.ts makes it; what it logs goes to `log`.
 */
export function d1Isolate(bindings: { DB?: D1DatabaseLike; PUBLISH_TOKEN?: string; SITE_URL?: string; log?: string[]; now?: () => number } = {}) {
  const isolateEnv = { SITE_URL: bindings.SITE_URL ?? SITE_URL, DB: bindings.DB ?? env.DB, ...(bindings.PUBLISH_TOKEN ? { PUBLISH_TOKEN: bindings.PUBLISH_TOKEN } : {}) };
  const worker = workerSite(d1Data, isolateEnv, (message, error) => bindings.log?.push(error ? `${message} ${String(error)}` : message), { d1: shippedD1 }, bindings.now);
  return Object.assign(async (path: string, init: RequestInit = {}): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await worker(new Request(`https://wire.example${path}`, init), ctx);
    // The body first, then the context: the edge cache put runs after the response is made.
    const body = await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    return new Response(response.status === 204 || response.status === 304 || init.method === "HEAD" ? null : body, { status: response.status, headers: response.headers });
  }, {
    /** The Cron Trigger's run (worker-d1.ts's scheduled handler), with its waitUntil work awaited. */
    scheduled: async () => {
      const ctx = createExecutionContext();
      await worker.scheduled?.(ctx);
      await waitOnExecutionContext(ctx);
    },
  });
}
