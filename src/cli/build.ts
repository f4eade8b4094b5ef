import { resolve } from "node:path";
import { buildCatalog } from "../core/catalog.js";
import { normaliseBaseUrl } from "../core/config.js";
import { directoryStore } from "../storage/fs-dir.js";
import { readAllRecords } from "../storage/load.js";
import { readTombstonesFile } from "../storage/tombstone-file.js";
import { STAMPS_FILE, stampedCatalog } from "../storage/stamps-file.js";
import { flagOption, stringOption } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./io.js";
import { CommandError, CONFIG_HELP, CONFIG_OPTION, existingDirectory, loadSite } from "./project.js";
import { MAX_HEADER_LINE, MAX_HEADER_RULES } from "./headers-file.js";
import { redirectsFile } from "./redirects-file.js";
import { EXPORTED_HEADERS, headerRulesOf, LAYOUTS, NOT_FOUND_PAGE, writeStaticSite, type Layout, type StaticFile } from "./static-site.js";

export const build: Command = {
  name: "build",
  synopsis: "[--out dist] [--layout flat|dirs]",
  summary: "write every feed and page to a folder for static hosting",
  help: `Usage: wirefeed build [options]

Renders every URL of the site through the server's own app and writes the
bytes it answers (uncompressed) to a folder, with the server's HTML 404 page
as 404.html and a _headers file (Cloudflare Pages / Netlify format) giving
each path the headers the server sends (Content-Type, Cache-Control, CORS,
Link, security headers), in one rule per kind of URL:

  /              → index.html
  /rss.xml, /atom.xml, /feed.json, /style.css → same names
  /items/<slug>  → items/<slug>.html         (--layout flat, the default:
                                              Cloudflare Pages, Netlify)
                 → items/<slug>/index.html   (--layout dirs: plain file
                                              servers, S3 website hosting)

The folder is built beside the target and renamed into place, replacing an
earlier build whole. A folder that is neither empty nor an earlier build is
never replaced. Records that fail validation are left out, as the server
leaves them out, and listed on stderr. Withdrawn articles (the folder's
.tombstones.json) are announced in the Atom feeds as on the server, and each
one's /items/<slug> gets the page the server sends with 410 Gone (a static
host serves that file with 200: _headers cannot set a status).

Options:
  --out <dir>         output folder (default: dist)
  --dir <dir>         records folder (default: items)
  --layout <layout>   flat (default) or dirs, as above
  --site-url <url>    public base URL of the built site (default: $SITE_URL,
                      else the config's baseUrl); every link is built from it
  --strict            write nothing, exit 1, when any record fails validation
${CONFIG_HELP}
  -h, --help          show this help

Exit status: 0 written, 1 not written (--strict with invalid records, or the
output folder is not ours to replace), 2 usage error.

Example:
  wirefeed build --out dist --site-url https://news.example/`,
  options: {
    ...CONFIG_OPTION,
    out: { type: "string" },
    dir: { type: "string" },
    "site-url": { type: "string" },
    layout: { type: "string" },
    strict: { type: "boolean" },
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`takes no arguments (did you mean --out ${args.positionals[0]}?)`);
    const outArg = stringOption(args, "out") ?? "dist";
    if (outArg.trim() === "") throw new UsageError("--out is empty");
    const siteUrl = stringOption(args, "site-url") ?? (io.env.SITE_URL || undefined);
    if (siteUrl !== undefined) {
      try {
        normaliseBaseUrl(siteUrl, "--site-url", "--site-url");
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    const layout = stringOption(args, "layout") ?? "flat";
    if (!(LAYOUTS as readonly string[]).includes(layout)) throw new UsageError(`--layout must be ${LAYOUTS.join(" or ")}, not ${JSON.stringify(layout)}`);
    const dirArg = stringOption(args, "dir") ?? "items";
    const site = await loadSite(io, args, siteUrl);
    const dir = await existingDirectory(io, dirArg, "--dir");

    const withdrawn = await readTombstonesFile(dir, dirArg);
    const raw = await readAllRecords(directoryStore(dir, dirArg));
    // Articles held back at this instant (an embargo, a future published date) are left out: build again after their lift.
    const parsed = buildCatalog(raw, site, withdrawn.tombstones, io.now().getTime());
    for (const error of parsed.errors) io.err(`build: skipped record: ${error.message}`);
    if (withdrawn.problem) io.err(`build: ${withdrawn.problem}`);
    const problems = parsed.errors.length + (withdrawn.problem ? 1 : 0);
    if (flagOption(args, "strict") && problems > 0) {
      io.err(`build: --strict: ${problems} problem(s) in the records; nothing written`);
      return EXIT.findings;
    }
    // Change stamps (Last-Modified): those the server and the Worker read; what is new is stamped now, and saved.
    const { catalog, restamped, save } = await stampedCatalog(dir, raw, parsed, io.now(), (m) => io.err(`build: ${m}`));

    // The server's own app, so every file is byte for byte what the server answers at its path.
    // Loaded here, not at the top: every other command starts without the HTTP app (and Hono).
    const { listPaths, listWithdrawnPaths, wirefeed } = await import("../package/index.js");
    const app = wirefeed({ site, store: catalog, now: () => io.now().getTime(), log: (message, error) => io.err(`build: ${message} ${String(error ?? "")}`) });
    const files: StaticFile[] = [];
    const fetchFile = async (path: string, status: number, headers: Record<string, string> = {}) => {
      const res = await app.request(path, { headers: { "Accept-Encoding": "identity", ...headers } });
      if (res.status !== status) throw new CommandError(`build: ${path} answered ${res.status}; nothing written`);
      files.push({
        path,
        bytes: new Uint8Array(await res.arrayBuffer()),
        contentType: res.headers.get("content-type") ?? "",
        cacheControl: res.headers.get("cache-control") ?? "",
        extraHeaders: Object.fromEntries(EXPORTED_HEADERS.flatMap((h) => (res.headers.has(h) ? [[h, res.headers.get(h)!]] : []))),
        ...(res.headers.has("last-modified") ? { lastModified: new Date(res.headers.get("last-modified")!) } : {}),
      });
    };
    for (const path of await listPaths(site, catalog)) await fetchFile(path, 200);
    // A withdrawn article's URL gets the page the server sends with 410 (as HTML, what a browser asks for).
    for (const path of await listWithdrawnPaths(catalog)) await fetchFile(path, 410, { Accept: "text/html" });
    // The page a browser gets for an unknown URL; static hosts serve 404.html for a missing path.
    await fetchFile(NOT_FOUND_PAGE, 404, { Accept: "text/html" });
    const rules = headerRulesOf(files);
    if (rules.length > MAX_HEADER_RULES) io.err(`build: warning: _headers has ${rules.length} rules; Cloudflare Pages reads only the first ${MAX_HEADER_RULES}`);
    const long = rules.flatMap((r) => r.headers.filter(([n, v]) => n.length + v.length + 4 > MAX_HEADER_LINE).map(([n]) => `${r.pattern} ${n}`));
    if (long.length > 0) io.err(`build: warning: _headers lines over ${MAX_HEADER_LINE} characters, which Cloudflare Pages ignores: ${long.join(", ")}`);
    const basePath = new URL(site.baseUrl).pathname.replace(/\/$/, "");
    await writeStaticSite(resolve(io.cwd, outArg), outArg, files, layout as Layout, redirectsFile(layout as Layout, basePath));
    await save();
    if (restamped) io.err(`build: change stamps updated in ${dirArg}/${STAMPS_FILE} (commit it with the records)`);
    if (catalog.nextLift !== undefined) {
      io.err(`build: embargoed articles left out; the next may be shown from ${new Date(catalog.nextLift).toISOString()}: build again then (Cache-Control ends by that instant)`);
    }
    io.out(`build: wrote ${files.length} files (${catalog.entries.length} article${catalog.entries.length === 1 ? "" : "s"}), _headers and _redirects to ${outArg} for ${site.baseUrl}`);
    return EXIT.ok;
  },
};
