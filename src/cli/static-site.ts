import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
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

/** Response headers besides Content-Type and Cache-Control that a static host should repeat. */
export const EXPORTED_HEADERS = ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Link"] as const;

/** First line of every _headers we write: how a later build knows the folder is its own to replace. */
export const HEADERS_MARK = "# Written by wirefeed build.";

/**
 * Where a URL path lives in the output folder. "/" → "index.html"; a path
 * with an extension keeps it ("/rss.xml"); an extensionless page gets ".html"
 * ("/items/foo" → "items/foo.html"), which Netlify, Cloudflare Pages and
 * GitHub Pages serve at "/items/foo" itself. "items/foo/index.html" would be
 * answered with a redirect to "/items/foo/", away from the URL the feeds link to.
 */
export function fileForPath(path: string): string {
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
  return last.includes(".") ? segments.join("/") : `${segments.join("/")}.html`;
}

/**
 * The _headers file (Netlify / Cloudflare Pages format): each path's
 * Content-Type and Cache-Control as the server sends them. Paths under one
 * folder ("/items/…") that share their headers get one "/items/*" rule:
 * Cloudflare Pages reads at most 100 rules, and a site has more articles.
 */
export function headersFile(files: readonly StaticFile[]): string {
  const rules = new Map<string, StaticFile>();
  const byFolder = new Map<string, StaticFile[]>();
  for (const f of files) {
    const folder = f.path.slice(0, f.path.lastIndexOf("/") + 1);
    if (folder === "/") continue;
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), f]);
  }
  const same = (a: StaticFile, b: StaticFile) =>
    a.contentType === b.contentType && a.cacheControl === b.cacheControl && JSON.stringify(a.extraHeaders ?? {}) === JSON.stringify(b.extraHeaders ?? {});
  for (const f of files) {
    const folder = f.path.slice(0, f.path.lastIndexOf("/") + 1);
    const siblings = byFolder.get(folder);
    const shared = siblings && siblings.every((s) => same(s, siblings[0]!));
    const pattern = shared ? `${folder}*` : f.path;
    if (!rules.has(pattern)) rules.set(pattern, f);
  }
  const lines = [HEADERS_MARK, "# Content-Type and Cache-Control of every path, as the wirefeed server sends them."];
  for (const [pattern, f] of rules) {
    lines.push(pattern, `  Content-Type: ${f.contentType}`, `  Cache-Control: ${f.cacheControl}`);
    for (const [name, value] of Object.entries(f.extraHeaders ?? {})) lines.push(`  ${name}: ${value}`);
  }
  return `${lines.join("\n")}\n`;
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
export async function writeStaticSite(out: string, label: string, files: readonly StaticFile[]): Promise<void> {
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
      const target = join(staging, fileForPath(f.path));
      await mkdir(dirname(target), { recursive: true });
      // "wx": two paths mapped to one file would be a bug, not something to paper over.
      await writeFile(target, f.bytes, { flag: "wx" });
      if (f.lastModified) await utimes(target, f.lastModified, f.lastModified);
    }
    await writeFile(join(staging, "_headers"), headersFile(files), { flag: "wx" });
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
