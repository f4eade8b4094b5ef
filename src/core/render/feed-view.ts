/**
 * The HTML view of a feed (see feed-views.ts): what the feed is, how to
 * follow it (its address, to copy into a reader), and what it holds now,
 * drawn from the same model the feed's bytes are rendered from. Plain HTML
 * and the site stylesheet: no XSLT, which browsers are removing.
 */
import type { SiteConfig } from "../config.js";
import { FEED_MEDIA_TYPES } from "../feed-directory.js";
import { FEED_FORMATS, type FeedFormat, type FeedModel, type FormatUrls } from "../feed-model.js";
import { escapeHtml } from "../text.js";
import { articleList, copyableUrl, FORMAT_NAMES, page } from "./html.js";

const READERS = "NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird, newsboat";

export function renderFeedView(site: SiteConfig, format: FeedFormat, model: FeedModel, viewUrls: FormatUrls): string {
  const self = model.selfUrls[format];
  const others = FEED_FORMATS.filter((f) => f !== format)
    .map((f) => `<a href="${escapeHtml(viewUrls[f])}">${FORMAT_NAMES[f]}</a>`)
    .join(" · ");
  const archive = model.history.archive
    ? `<p>This is an <strong>archive document</strong>: older articles of the feed, kept for readers that fetch a feed's history. To follow new articles, subscribe to <a href="${escapeHtml(model.history.current?.[format] ?? model.homeUrl)}">the current feed</a> instead.</p>\n`
    : "";
  const main = `<div class="page-head">
<p class="eyebrow">${FORMAT_NAMES[format]} feed</p>
<h1><bdi>${escapeHtml(model.title)}</bdi></h1>
<p class="lede">${escapeHtml(model.description)}</p>
</div>
<section class="subscribe" aria-labelledby="subscribe">
<h2 id="subscribe">Follow this feed in a feed reader</h2>
<p>This address is a web feed: a feed reader (${READERS}…) checks it for you and shows each new article as it is filed. Copy the address into your reader's “add feed” or “subscribe” box (click it to select it):</p>
<a class="address" href="${escapeHtml(self)}" type="${FEED_MEDIA_TYPES[format]}">${copyableUrl(self)}</a>
${archive}<p>The same feed in ${others}; <a href="${escapeHtml(model.homeUrl)}">its articles as a web page</a>; <a href="${escapeHtml(new URL("feeds", site.baseUrl).href)}">every feed of this site</a>.</p>
</section>
<h2 class="in-feed">In this feed now</h2>
${articleList(site, model.articles)}`;
  return page(site, {
    title: `${model.title} (${FORMAT_NAMES[format]} feed)`,
    canonical: viewUrls[format],
    description: model.description,
    main,
    // Autodiscovery names the feed this page shows, first in its own format.
    feeds: [format, ...FEED_FORMATS.filter((f) => f !== format)].map((f) => ({
      format: f,
      type: FEED_MEDIA_TYPES[f],
      label: `${model.title} (${FORMAT_NAMES[f]})`,
      href: model.selfUrls[f],
    })),
  });
}
