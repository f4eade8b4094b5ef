/**
 * `npm run d1:load`: loads items/ into the D1 Worker's database (binding DB,
 * wrangler environment "d1") with the SQL stores' own code: the schema, then
 * every record with its derived rows (bodies rendered), the folder's
 * withdrawals and change stamps, and a new content version, in one
 * transaction (replaceContents, src/storage/sql/derive.ts) that replaces
 * what the database held.
 *
 *   node --import tsx scripts/d1-load.ts [--local] [--persist-to DIR]   # wrangler's local D1 (default)
 *   node --import tsx scripts/d1-load.ts --remote                       # the deployed database
 *
 * The derived rows depend on the site config (links from baseUrl), so
 * SITE_URL must be the one the Worker runs with. Local: SITE_URL, else the
 * URL `npm run dev:worker:d1` serves on, http://127.0.0.1:PORT/ (PORT or
 * `--port N`, default 8787; see worker-local.ts). --remote: SITE_URL, else
 * the config's baseUrl. A record that does not parse is left out and
 * printed, as `wirefeed validate` prints it; the others are loaded. Change
 * stamps come from items/.changes.json (new records stamped now and the
 * file saved, as build-worker-data does), so the D1 Worker's
 * Last-Modified is the Node server's.
 * Env: ITEMS_DIR, WIREFEED_CONFIG, SITE_URL, PORT.
 */
import { readFile } from "node:fs/promises";
import { memoryCatalog, parseRecords } from "../src/core/catalog.js";
import { parseSiteConfig } from "../src/core/config.js";
import { directoryStore } from "../src/storage/fs-dir.js";
import { readAllRecords } from "../src/storage/load.js";
import { applySchema, replaceContents } from "../src/storage/sql/derive.js";
import { recordDigest, STAMPS_FILE, stampedCatalog } from "../src/storage/stamps-file.js";
import { readTombstonesFile } from "../src/storage/tombstone-file.js";
import { localWorker, PortSettingError } from "./worker-local.js";
import { wranglerD1Driver } from "./wrangler-d1.js";
import { heldBackNote } from "../src/runtime/change-log.js";

const args = process.argv.slice(2);
const where = args.includes("--remote") ? "--remote" : "--local";
let passThrough = args.filter((a) => a !== "--remote" && a !== "--local");
let siteUrl = process.env.SITE_URL || undefined;
if (where === "--local") {
  try {
    const local = localWorker(process.env, passThrough);
    passThrough = local.rest;
    siteUrl = local.siteUrl;
  } catch (error) {
    if (!(error instanceof PortSettingError)) throw error;
    console.error(`d1-load: ${error.message}`);
    process.exit(2);
  }
}

const configPath = process.env.WIREFEED_CONFIG ?? "site.config.json";
const site = parseSiteConfig(JSON.parse(await readFile(configPath, "utf8")), configPath, siteUrl);
const itemsDir = process.env.ITEMS_DIR ?? "items";
const raw = await readAllRecords(directoryStore(itemsDir, "items"));
const withdrawn = await readTombstonesFile(itemsDir, "items");
if (withdrawn.problem) {
  console.error(`d1-load: ${withdrawn.problem}; nothing was written`);
  process.exit(1);
}
// The folder's stamps, completed as every other build completes them, so all runtimes agree on Last-Modified.
const { articles } = parseRecords(raw, site);
const now = new Date();
const { state, restamped, save } = await stampedCatalog(itemsDir, raw, memoryCatalog(articles), now, (m) => console.error(`d1-load: ${m}`));

const driver = wranglerD1Driver({ where, extra: passThrough });
let result;
try {
  await applySchema(driver);
  result = await replaceContents(driver, site, {
    records: raw.map((r) => ({ name: r.file.slice("items/".length), bytes: r.bytes, sha: recordDigest(r.bytes) })),
    tombstones: withdrawn.tombstones,
    previous: state,
    now,
    label: (name) => `items/${name}`,
  });
} catch (error) {
  console.error(`d1-load: ${(error as Error).message}\nd1-load: nothing was changed`);
  process.exit(1);
}
for (const e of result.errors) console.error(e.message);
if (result.errors.length > 0) console.error(`d1-load: ${result.errors.length} problem(s) in ${itemsDir}/; the records named are left out, the others are loaded`);
await save();
if (restamped) console.error(`d1-load: change stamps updated in ${itemsDir}/${STAMPS_FILE} (commit it with the records)`);
console.log(
  `d1-load: ${result.articles} articles${result.drafts ? ` and ${result.drafts} drafts` : ""}, ${withdrawn.tombstones.length} withdrawal(s) (version ${result.version}, for ${site.baseUrl}) written ${where === "--local" ? "to local D1" : "to the remote database"}${heldBackNote(result)}`,
);
