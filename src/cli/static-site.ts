import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { headerRules, renderHeaderRules, type HeaderRule } from "./headers-file.js";
import { CommandError } from "./project.js";

/** One URL path as a file of the static site. */
export interface StaticFile {
  /** The URL path, e.g. "/items/foo". */
  path: string;
  bytes: Uint8Array;
  contentType: string;
  cacheControl: string;
  /** Other headers a static host should send as the server does (CORS on feeds, Link on pages). */
  extraHeaders?: Record<string, string>;
  /** The server's Last-Modified: the file's mtime, which hosts that serve files (nginx, GitHub Pages) send as theirs. */
  lastModified?: Date;
}

/**
 * Response headers besides Content-Type and Cache-Control that a static host
 * should repeat: CORS on feeds, Link on pages, and the security headers
 * (src/http/security-headers.ts) as the app set them on each response.
 */
export const EXPORTED_HEADERS = [
  "Access-Control-Allow-Origin",
  "Access-Control-Expose-Headers",
  "Link",
  "X-Content-Type-Options",
  "Content-Security-Policy",
  "Referrer-Policy",
] as const;

/** The server's HTML 404 page, where Cloudflare Pages, Netlify and GitHub Pages look for it (S3: set it as the error document). */
export const NOT_FOUND_PAGE = "/404.html";

/** First line of every _headers we write: how a later build knows the folder is its own to replace. */
export const HEADERS_MARK = "# Written by wirefeed build.";

/**
 * How extensionless pages ("/items/foo", "/feeds") become files:
 * - "flat": items/foo.html, which Cloudflare Pages and Netlify serve at
 *   "/items/foo" itself (their pretty URLs), with no redirect;
 * - "dirs": items/foo/index.html, for servers that only map a folder to its
 *   index.html ("python3 -m http.server", S3 website hosting, nginx's
 *   defaults): "/items/foo" is answered with a redirect to "/items/foo/".
 */
export const LAYOUTS = ["flat", "dirs"] as const;
export type Layout = (typeof LAYOUTS)[number];

/**
 * Where a URL path lives in the output folder. "/" → "index.html"; a path
 * with an extension keeps it ("/rss.xml"); an extensionless page gets ".html"
 * or its own folder, by layout (see LAYOUTS).
 */
export function fileForPath(path: string, layout: Layout = "flat"): string {
  const segments = path.split("/").slice(1);
  if (!path.startsWith("/") || segments.slice(0, -1).some((s) => s === "" || s === "." || s === "..") || /[\\\0]/.test(path)) {
    throw new Error(`not a site path: ${JSON.stringify(path)}`);
  }
  // Static hosts decode the URL path before looking up the file: "/categories/%E6%97%A5/" is "categories/日/".
  try {
    segments.splice(0, segments.length, ...segments.map(decodeURIComponent));
  } catch {
    throw new Error(`not a site path: ${JSON.stringify(path)}`);
  }
  if (segments.some((s) => /[/\\\0]/.test(s))) throw new Error(`not a site path: ${JSON.stringify(path)}`);
  const last = segments[segments.length - 1]!;
  if (last === "") return `${segments.join("/")}index.html`;
  if (last === "." || last === "..") throw new Error(`not a site path: ${JSON.stringify(path)}`);
  if (last.includes(".")) return segments.join("/");
  return layout === "dirs" ? `${segments.join("/")}/index.html` : `${segments.join("/")}.html`;
}

/** A file's headers as the server sends them, in the order _headers lists them. */
export function headersOfFile(f: StaticFile): [string, string][] {
  return [["Content-Type", f.contentType], ["Cache-Control", f.cacheControl], ...Object.entries(f.extraHeaders ?? {})];
}

/**
 * The _headers file (Cloudflare Pages / Netlify format): each path's headers
 * as the server sends them, one rule per kind of URL (see headerRules), so
 * it stays under Cloudflare Pages' 100-rule limit however many articles and
 * scopes the site has.
 */
export function headersFile(files: readonly StaticFile[]): string {
  return renderHeaderRules(
    [
      HEADERS_MARK.slice(2),
      "The headers of every path, as the wirefeed server sends them. A :slug or :page in a",
      "value is filled in from the request's path (Cloudflare Pages placeholders).",
    ],
    headerRulesOf(files),
  );
}

export function headerRulesOf(files: readonly StaticFile[]): HeaderRule[] {
  return headerRules(files.map((f) => ({ path: f.path, headers: headersOfFile(f) })));
}

async function isOurs(dir: string): Promise<boolean> {
  const entries = await readdir(dir);
  if (entries.length === 0) return true;
  const headers = await readFile(join(dir, "_headers"), "utf8").catch(() => "");
  return headers.startsWith(`${HEADERS_MARK}\n`);
}

/**
 * Writes the site into a fresh folder beside `out`, then renames it into
 * place: a deploy that reads `out` sees the previous build or this one, never
 * a mix, and files of articles since removed do not linger. Only an empty
 * folder or an earlier wirefeed build is replaced (never, say, the project).
 */
export async function writeStaticSite(out: string, label: string, files: readonly StaticFile[], layout: Layout = "flat", redirects?: string): Promise<void> {
  const existing = await stat(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (existing && !existing.isDirectory()) throw new CommandError(`build: ${label} exists and is not a folder`);
  if (existing && !(await isOurs(out))) {
    throw new CommandError(`build: ${label} is not empty and not a wirefeed build (no _headers from one); remove it or choose another --out`);
  }
  await mkdir(dirname(out), { recursive: true });
  const staging = await mkdtemp(join(dirname(out), `.${basename(out)}.build-`));
  try {
    // mkdtemp makes it private (0700); a web server reading the output runs as another user.
    await chmod(staging, 0o755);
    for (const f of files) {
      const target = join(staging, fileForPath(f.path, layout));
      await mkdir(dirname(target), { recursive: true });
      // "wx": two paths mapped to one file would be a bug, not something to paper over.
      await writeFile(target, f.bytes, { flag: "wx" });
      if (f.lastModified) await utimes(target, f.lastModified, f.lastModified);
    }
    await writeFile(join(staging, "_headers"), headersFile(files), { flag: "wx" });
    if (redirects !== undefined) await writeFile(join(staging, "_redirects"), redirects, { flag: "wx" });
    if (existing) {
      const old = `${staging}.old`;
      await rename(out, old);
      try {
        await rename(staging, out);
      } catch (error) {
        await rename(old, out);
        throw error;
      }
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, out);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
