import type { SiteConfig } from "../config.js";
import type { DirectoryEntry } from "../feed-directory.js";
import type { FeedFormat } from "../feed-model.js";
import { escapeXml } from "./xml-guards.js";

/**
 * The main list's format. Atom, because it is the one that carries
 * withdrawals (RFC 6721 tombstones), stable `tag:` ids for feed and entries,
 * every author as its own element and a language per entry; every common
 * reader takes it. The other formats have their own lists.
 */
export const OPML_MAIN_FORMAT: FeedFormat = "atom";

const LABELS: Record<FeedFormat, string> = { rss: "RSS 2.0", atom: "Atom 1.0", json: "JSON Feed 1.1" };

/** The OPML file of one format ("feeds.rss.opml"…); the main list is "feeds.opml". */
export function opmlFile(format?: FeedFormat): string {
  return format ? `feeds.${format}.opml` : "feeds.opml";
}

/**
 * OPML 2.0 subscription list: one outline per scope, each in `format`, so
 * that importing it subscribes to each feed once (a reader that imports a
 * list with a feed per format subscribes three times). Without `format`, the
 * main list, in OPML_MAIN_FORMAT.
 */
export function renderOpml(site: SiteConfig, directory: readonly DirectoryEntry[], updated: Date, format?: FeedFormat): string {
  const chosen = format ?? OPML_MAIN_FORMAT;
  const outlines = directory.map((d) => {
    const feed = d.feeds.find((f) => f.format === chosen)!;
    return `    <outline type="rss" text="${escapeXml(d.title)}" title="${escapeXml(d.title)}" xmlUrl="${escapeXml(feed.href)}" htmlUrl="${escapeXml(d.htmlUrl)}"/>`;
  });
  const title = format ? `${site.title}: all feeds (${LABELS[format]})` : `${site.title}: all feeds`;
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(title)}</title>
    <dateModified>${updated.toUTCString()}</dateModified>
    <ownerName>${escapeXml(site.author.name)}</ownerName>
    <docs>http://opml.org/spec2.opml</docs>
  </head>
  <body>
${outlines.join("\n")}
  </body>
</opml>
`;
}
