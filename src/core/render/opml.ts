import type { SiteConfig } from "../config.js";
import type { DirectoryEntry } from "../feed-directory.js";
import { escapeXml } from "./xml-guards.js";

/**
 * OPML 2.0 subscription list of every feed the site offers, grouped by
 * format so that a reader importing one group subscribes to each feed once.
 */
export function renderOpml(site: SiteConfig, directory: readonly DirectoryEntry[], updated: Date): string {
  const groups = (["rss", "atom", "json"] as const).map((format) => {
    const label = { rss: "RSS 2.0", atom: "Atom 1.0", json: "JSON Feed 1.1" }[format];
    const outlines = directory.map((d) => {
      const feed = d.feeds.find((f) => f.format === format)!;
      return `      <outline type="rss" text="${escapeXml(d.title)}" title="${escapeXml(d.title)}" xmlUrl="${escapeXml(feed.href)}" htmlUrl="${escapeXml(d.htmlUrl)}"/>`;
    });
    return `    <outline text="${label}">\n${outlines.join("\n")}\n    </outline>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(`${site.title}: all feeds`)}</title>
    <dateModified>${updated.toUTCString()}</dateModified>
    <ownerName>${escapeXml(site.author.name)}</ownerName>
    <docs>http://opml.org/spec2.opml</docs>
  </head>
  <body>
${groups.join("\n")}
  </body>
</opml>
`;
}
