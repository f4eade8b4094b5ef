/**
 * Compiles site.config.json and items/ into .generated/worker-data.ts, the
 * module the Worker imports (wrangler's [build] step runs this).
 *
 * Records are parsed exactly as the Node server parses them and, as there, a
 * broken record is left out and the rest are served: the build prints every
 * problem as `file:line: field: problem` and still writes the module, which
 * carries the problems so the Worker logs them too ("skipped record: …").
 * Failing instead would leave `wrangler dev` without a Worker: it holds every
 * request until a build succeeds. Only a broken site config fails the build.
 * Drafts are left out: their text never ships in a public bundle.
 * The folder's .tombstones.json (withdrawn articles) is bundled too, so the
 * Worker announces withdrawals and answers 410 as the server does; one that
 * is not valid JSON fails the build.
 *
 *   node --import tsx scripts/build-worker-data.ts [--d1]
 *
 * --d1: for the D1 Worker (src/runtime/worker-d1.ts): items/ is still
 * validated, but no record is bundled (records and stamps live in the
 * database) and the output is .generated/worker-d1-data.ts, so the two
 * builds never overwrite each other.
 * Env: ITEMS_DIR (items), WIREFEED_CONFIG (site.config.json),
 *      WIREFEED_WORKER_DATA — the output file, overriding the default.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { memoryCatalog, parseRecords } from "../src/core/catalog.js";
import { serialiseStamps } from "../src/core/change-stamps.js";
import { visibleFrom } from "../src/core/embargo.js";
import { parseSiteConfig } from "../src/core/config.js";
import { sha256Hex } from "../src/core/digest.js";
import { ConfigError } from "../src/core/errors.js";
import type { WorkerData } from "../src/runtime/worker-data.js";
import { directoryStore } from "../src/storage/fs-dir.js";
import { readAllRecords } from "../src/storage/load.js";
import { serialiseTombstones } from "../src/core/tombstone.js";
import { readTombstonesFile, TOMBSTONES_FILE } from "../src/storage/tombstone-file.js";
import { STAMPS_FILE, stampedCatalog } from "../src/storage/stamps-file.js";

const itemsDir = process.env.ITEMS_DIR ?? "items";
const configPath = process.env.WIREFEED_CONFIG ?? "site.config.json";
const store = process.argv.includes("--d1") ? "d1" : undefined;
const withRecords = store === undefined;
const outFile = resolve(process.env.WIREFEED_WORKER_DATA ?? `.generated/worker${store ? `-${store}` : ""}-data.ts`);

function fail(lines: string[]): never {
  for (const line of lines) console.error(line);
  console.error("build-worker-data: nothing was built");
  process.exit(1);
}

/** Every file the bundle's behaviour depends on, hashed into the build id (sorted: the same tree gives the same id). */
async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

let rawConfig: unknown;
try {
  rawConfig = JSON.parse(await readFile(configPath, "utf8"));
  // SITE_URL is the Worker's var, applied at run time; here the file alone must be valid.
  parseSiteConfig(rawConfig, configPath);
} catch (error) {
  fail([error instanceof ConfigError ? error.message : `${configPath}: not valid JSON: ${(error as Error).message}`]);
}

const label = relative(process.cwd(), resolve(itemsDir)) || ".";
const raw = await readAllRecords(directoryStore(itemsDir, label));
const site = parseSiteConfig(rawConfig, configPath);
const { articles, errors } = parseRecords(raw, site);
const problems = errors.map((e) => e.message);
if (problems.length > 0) {
  for (const line of problems) console.error(line);
  console.error(`build-worker-data: ${problems.length} problem(s) in ${label}/; the records named are left out, the others are built`);
}

// Published records only, as exact text: valid records are valid UTF-8, so this round-trips to the same bytes.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const published = new Set(articles.map((a) => a.file));
const records: Record<string, string> = {};
// The D1 Worker's records, tombstones and stamps live in its database (d1:load): none are bundled.
if (withRecords) {
  for (const r of raw) if (published.has(r.file)) records[r.file.slice(r.file.lastIndexOf("/") + 1)] = decoder.decode(r.bytes);
}

const withdrawn = await readTombstonesFile(itemsDir, label);
if (withdrawn.problem) fail([withdrawn.problem]);
// Stored as the server would store them (validated, in a fixed order).
const tombstones: unknown[] = withRecords ? JSON.parse(serialiseTombstones(withdrawn.tombstones)) : [];
// Change stamps (Last-Modified), read from items/.changes.json as the Node server reads them; what is new is stamped now and saved.
const { state, restamped, save } = await stampedCatalog(itemsDir, raw, memoryCatalog(articles), new Date(), (m) => console.error(`build-worker-data: ${m}`));
const stamps = withRecords ? serialiseStamps(state) : undefined;

const recordLines = Object.keys(records).sort().map((n) => `${n}\n${records[n]}\n`);
const withdrawnLine = tombstones.length ? `\u0000${TOMBSTONES_FILE}\n${JSON.stringify(tombstones)}` : "";
const version = (await sha256Hex(`${JSON.stringify(rawConfig)}\n${recordLines.join("\u0000")}${withdrawnLine}${stamps ? `\u0000${stamps}` : ""}`)).slice(0, 32);
const hashed: string[] = [];
for (const file of [...(await sourceFiles("src")), "package-lock.json"]) {
  hashed.push(`${file} ${await sha256Hex(new Uint8Array(await readFile(file)))}`);
}
const buildId = (await sha256Hex(`${hashed.join("\n")}\n${version}`)).slice(0, 32);

// The D1 Worker's records are in its database, which has its own problems: items/' are not its to report.
// Embargoes and future-dated articles: the instants the Worker lets them in (it keys its edge cache on how many have passed).
const builtAt = Date.now();
const lifts = withRecords ? [...new Set(articles.map(visibleFrom).filter((t) => t > builtAt))].sort((a, b) => a - b) : [];
const data: WorkerData = {
  buildId,
  version,
  siteConfig: rawConfig,
  records,
  problems: withRecords ? problems : [],
  ...(tombstones.length ? { tombstones } : {}),
  ...(stamps ? { stamps } : {}),
  ...(lifts.length ? { lifts } : {}),
};
const importPath = relative(dirname(outFile), resolve("src/runtime/worker-data.js"));
const module = `// Generated by scripts/build-worker-data.ts from ${configPath} and ${label}/. Do not edit.
import type { WorkerData } from "${importPath.startsWith(".") ? importPath : `./${importPath}`}";

const data: WorkerData = ${JSON.stringify(data, null, 2)};
export default data;
`;
await mkdir(dirname(outFile), { recursive: true });
// Written whole then renamed, so wrangler's watcher never bundles half a file.
const temp = `${outFile}.${process.pid}.tmp`;
await writeFile(temp, module);
await rename(temp, outFile);
await save();
if (restamped) console.error(`build-worker-data: change stamps updated in ${label}/${STAMPS_FILE} (commit it with the records)`);
console.log(
  `build-worker-data: ${Object.keys(records).length} of ${articles.length} articles bundled${tombstones.length ? `, ${tombstones.length} tombstone(s)` : ""}${store ? ` (--${store}: served from ${store.toUpperCase()})` : ""}, version ${version}`,
);
