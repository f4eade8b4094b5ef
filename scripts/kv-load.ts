/**
 * Loads items/ into the Worker's KV namespace (binding ARTICLES, wrangler
 * environment "kv") with `wrangler kv bulk put`: every record under
 * "items/<name>" (its exact bytes), then the index and the version, so the
 * index never names a record that is not there yet.
 *
 *   node --import tsx scripts/kv-load.ts --local  [--persist-to DIR]   # wrangler's local KV
 *   node --import tsx scripts/kv-load.ts --remote                      # the deployed namespace
 *
 * The index holds metas derived with the site config, so SITE_URL must be
 * the one the Worker runs with. --local: SITE_URL, else the URL
 * `npm run dev:worker:kv` serves on, http://127.0.0.1:PORT/ (PORT or
 * `--port N`, default 8787; see worker-local.ts). --remote: SITE_URL, else
 * the config's baseUrl. A broken
 * record is loaded like the others and indexed with its problems: the Worker
 * leaves it out, serves the rest and logs it ("skipped record: …"), as the
 * Node server does; the problems are printed here too.
 * Records removed from items/ leave their old key behind, unlisted and never
 * read. The folder's .tombstones.json goes into the index (withdrawn
 * articles, announced in feeds and answered with 410).
 * Env: ITEMS_DIR, WIREFEED_CONFIG, SITE_URL, PORT.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { memoryCatalog, parseRecords } from "../src/core/catalog.js";
import { parseSiteConfig } from "../src/core/config.js";
import { directoryStore } from "../src/storage/fs-dir.js";
import { indexEntry, sealIndex, siteFingerprint, type IndexEntry } from "../src/storage/kv-index.js";
import { INDEX_KEY, recordKey, VERSION_KEY } from "../src/storage/kv.js";
import { readAllRecords } from "../src/storage/load.js";
import { readTombstonesFile } from "../src/storage/tombstone-file.js";
import { localWorker, PortSettingError } from "./worker-local.js";
import { STAMPS_FILE, stampedCatalog } from "../src/storage/stamps-file.js";

const args = process.argv.slice(2);
const where = args.includes("--remote") ? "--remote" : args.includes("--local") ? "--local" : undefined;
if (!where) {
  console.error("kv-load: say --local (wrangler's local KV) or --remote (the deployed namespace)");
  process.exit(2);
}
// --local: the URL `npm run dev:worker:kv` serves on (PORT / --port); --remote: SITE_URL or the config's baseUrl.
let passThrough = args.filter((a) => a !== where);
let siteUrl = process.env.SITE_URL || undefined;
if (where === "--local") {
  try {
    const local = localWorker(process.env, passThrough);
    passThrough = local.rest;
    siteUrl = local.siteUrl;
  } catch (error) {
    if (!(error instanceof PortSettingError)) throw error;
    console.error(`kv-load: ${error.message}`);
    process.exit(2);
  }
}

const configPath = process.env.WIREFEED_CONFIG ?? "site.config.json";
const site = parseSiteConfig(JSON.parse(await readFile(configPath, "utf8")), configPath, siteUrl);
const itemsDir = process.env.ITEMS_DIR ?? "items";
// Described by their KV keys ("items/<name>"), as the KV store names them.
const raw = await readAllRecords(directoryStore(itemsDir, "items"));
const { articles, errors } = parseRecords(raw, site);
if (errors.length > 0) {
  for (const e of errors) console.error(e.message);
  console.error(`kv-load: ${errors.length} problem(s) in ${itemsDir}/; the Worker leaves the records named out and serves the others`);
}

const entries: Record<string, IndexEntry> = {};
const recordPairs = [];
for (const r of raw) {
  const name = r.file.slice("items/".length);
  entries[name] = await indexEntry(recordKey(name), r.bytes, site);
  // base64 keeps the bytes exact whatever they are.
  recordPairs.push({ key: recordKey(name), value: Buffer.from(r.bytes).toString("base64"), base64: true });
}
// The folder's tombstones go into the index, as a removal through the API would put them.
const withdrawn = await readTombstonesFile(itemsDir, "items");
if (withdrawn.problem) {
  console.error(`kv-load: ${withdrawn.problem}; nothing was written`);
  process.exit(1);
}
// Change stamps (Last-Modified) from items/.changes.json, as the Node server and the bundle read them.
const { state: stamps, restamped, save } = await stampedCatalog(itemsDir, raw, memoryCatalog(articles), new Date(), (m) => console.error(`kv-load: ${m}`));
const index = await sealIndex(await siteFingerprint(site), entries, withdrawn.tombstones, stamps);

const dir = mkdtempSync(join(tmpdir(), "wirefeed-kv-"));
const wrangler = resolve("node_modules/.bin/wrangler");
const put = (file: string, pairs: object[]) => {
  writeFileSync(file, JSON.stringify(pairs));
  const run = spawnSync(wrangler, ["kv", "bulk", "put", file, "--binding", "ARTICLES", "--env", "kv", where, ...passThrough], {
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (run.status !== 0) throw new Error(`kv-load: wrangler kv bulk put failed (${run.status ?? run.signal})`);
};
try {
  if (recordPairs.length > 0) put(join(dir, "records.json"), recordPairs);
  put(join(dir, "index.json"), [
    { key: INDEX_KEY, value: JSON.stringify(index) },
    { key: VERSION_KEY, value: index.version },
  ]);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.exitCode) process.exit();
await save();
if (restamped) console.error(`kv-load: change stamps updated in ${itemsDir}/${STAMPS_FILE} (commit it with the records)`);
console.log(`kv-load: ${raw.length} records and the index (version ${index.version}, for ${site.baseUrl}) written ${where === "--local" ? "to local KV" : "to the remote namespace"}`);
