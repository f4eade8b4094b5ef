/**
 * What a parse result depends on besides the record's bytes, as one digest
 * (the parse index's key, src/storage/parse-index.ts): the code that parses
 * and renders (every file of src/core, which is small: reading it costs a few
 * milliseconds), the versions of the libraries it renders with, and the site
 * config. A new wirefeed version, a dependency upgrade or a config change
 * therefore re-parses everything; nothing has to remember to bump a number.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SiteConfig } from "../core/config.js";

const CORE = join(dirname(fileURLToPath(import.meta.url)), "../core");
/** The libraries records are parsed and rendered with (src/core's imports). */
const LIBRARIES = ["marked", "js-yaml", "xss", "parse5"];

function sourcesDigest(dir: string, hash: ReturnType<typeof createHash>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourcesDigest(path, hash);
    else if (entry.isFile()) hash.update(`${entry.name}\0`).update(readFileSync(path)).update("\0");
  }
}

/** The installed version of `name`: its package.json, found by walking up from its entry point. */
function versionOf(name: string): string {
  const require = createRequire(import.meta.url);
  try {
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) return pkg.version;
      } catch {
        // Not here: one level up.
      }
    }
  } catch {
    // Unresolvable here: the sources' digest still moves with any change of ours.
  }
  return "unknown";
}

let parser: string | undefined;

/** The digest of the parser (sources and libraries), computed once per process. */
export function parserFingerprint(): string {
  if (parser === undefined) {
    const hash = createHash("sha256");
    sourcesDigest(CORE, hash);
    for (const name of LIBRARIES) hash.update(`${name}@${versionOf(name)}\0`);
    parser = hash.digest("base64");
  }
  return parser;
}

/** The parse index's fingerprint for this site: parser and config. */
export function parseFingerprint(site: SiteConfig): string {
  return createHash("sha256").update(parserFingerprint()).update(JSON.stringify(site)).digest("base64");
}
