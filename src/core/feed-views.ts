/**
 * Every feed has an HTML view, the page a person sees who opens the feed's
 * URL in a browser: `/rss.xml` → `/feeds/rss`, `/categories/markets/atom.xml`
 * → `/feeds/categories/markets/atom`, an archive's
 * `…/archive/2022/feed.json` → `/feeds/…/archive/2022/json`. A URL of its
 * own, not a second representation of the feed's URL, so no cache can ever
 * hand the page to a feed reader (see src/http/feed-navigation.ts).
 */
import { FEED_FILES, FEED_FORMATS, type FeedFormat } from "./feed-model.js";

const VIEW_ROOT = "feeds/";

/** The view's path (site-relative, no leading slash) for a feed's path ("categories/markets/rss.xml"). */
export function feedViewPath(feedPath: string): string | undefined {
  const slash = feedPath.lastIndexOf("/") + 1;
  const format = FEED_FORMATS.find((f) => FEED_FILES[f] === feedPath.slice(slash));
  return format ? `${VIEW_ROOT}${feedPath.slice(0, slash)}${format}` : undefined;
}

/** The feed a view's path segments after "feeds" stand for: its path and format; undefined when they name no feed. */
export function feedOfView(segments: readonly string[]): { feedSegments: string[]; format: FeedFormat } | undefined {
  const last = segments.at(-1);
  const format = FEED_FORMATS.find((f) => f === last);
  if (!format || segments.length === 0) return undefined;
  return { feedSegments: [...segments.slice(0, -1), FEED_FILES[format]], format };
}
