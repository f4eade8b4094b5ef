/**
 * The bytes the baselines serve: taken from the publisher, written once into
 * <root>/www (identity file, `.gz` and `.br` beside it, as nginx gzip_static
 * expects) with a manifest the node:http baseline reads. Same bytes, same
 * ETags (the publisher's), same Last-Modified (also the files' mtime).
 */
import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sha256 } from "./http-get.js";

export type Coding = "identity" | "gzip" | "br";
export const CODINGS: readonly Coding[] = ["identity", "gzip", "br"];
const SUFFIX: Record<Coding, string> = { identity: "", gzip: ".gz", br: ".br" };

export interface ServedVariant {
  /** The publisher's ETag for these bytes. */
  etag: string;
  sha256: string;
  length: number;
}

export interface ServedResource {
  /** URL path on the baselines, e.g. "/rss.xml" or "/items/<slug>". */
  path: string;
  contentType: string;
  cacheControl: string;
  lastModified?: string;
  variants: Partial<Record<Coding, ServedVariant>>;
}

export interface Manifest {
  resources: ServedResource[];
}

export interface CapturedResource extends Omit<ServedResource, "variants"> {
  variants: Partial<Record<Coding, { etag: string; body: Buffer }>>;
}

export const wwwDir = (root: string) => join(root, "www");
export const fileOf = (root: string, path: string, coding: Coding) => join(wwwDir(root), `${path.replace(/^\/+/, "")}${SUFFIX[coding]}`);

export async function writeServedRoot(root: string, captured: CapturedResource[]): Promise<Manifest> {
  const manifest: Manifest = { resources: [] };
  for (const resource of captured) {
    const variants: ServedResource["variants"] = {};
    for (const coding of CODINGS) {
      const v = resource.variants[coding];
      if (!v) continue;
      const file = fileOf(root, resource.path, coding);
      await mkdir(dirname(file), { recursive: true, mode: 0o755 });
      await writeFile(file, v.body, { mode: 0o644 });
      if (resource.lastModified) {
        const when = new Date(resource.lastModified);
        await utimes(file, when, when);
      }
      variants[coding] = { etag: v.etag, sha256: sha256(v.body), length: v.body.length };
    }
    manifest.resources.push({ ...resource, variants });
  }
  await writeFile(join(root, "manifest.json"), JSON.stringify(manifest, null, 2));
  return manifest;
}

export async function readServedRoot(root: string): Promise<{ manifest: Manifest; bytes: (path: string, coding: Coding) => Promise<Buffer> }> {
  const manifest = JSON.parse(await readFile(join(root, "manifest.json"), "utf8")) as Manifest;
  return { manifest, bytes: (path, coding) => readFile(fileOf(root, path, coding)) };
}
