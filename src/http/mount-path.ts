import type { Context } from "hono";
import { basePath } from "hono/route";

/**
 * The request's path as the site sees it: what follows the path the host
 * mounted it at (`app.route("/news", …)`, a `basePath`, a `/:tenant`
 * parameter), still percent-encoded as sent. "" is the mount itself without
 * its trailing slash ("/news"); standalone, it is the whole path.
 *
 * Segments are counted rather than characters compared: Hono reports the
 * base decoded, the URL keeps it encoded.
 */
export function mountedPath(c: Context): string {
  const pathname = new URL(c.req.url).pathname;
  const depth = basePath(c).split("/").filter((s) => s !== "").length;
  if (depth === 0) return pathname;
  const segments = pathname.split("/");
  return segments.length <= depth + 1 ? "" : `/${segments.slice(depth + 1).join("/")}`;
}
