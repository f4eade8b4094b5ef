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
import { articleList, copyableUrl, FORMAT_NAMES, linkTo, page } from "./html.js";
import { stringsFor } from "./page-strings.js";

const READERS = "NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird, newsboat";

export function renderFeedView(site: SiteConfig, format: FeedFormat, model: FeedModel, viewUrls: FormatUrls): string {
  // The page's words are chrome, in the site's language (the feed's items carry their own).
  const s = stringsFor(site.language);
  const name = FORMAT_NAMES[format];
  const self = model.selfUrls[format];
  const others = FEED_FORMATS.filter((f) => f !== format)
    .map((f) => linkTo(viewUrls[f])(FORMAT_NAMES[f]))
    .join(" · ");
  const archive = model.history.archive ? `<p>${s.archiveNote(linkTo(model.history.current?.[format] ?? model.homeUrl))}</p>\n` : "";
  const main = `<div class="page-head">
<p class="eyebrow">${escapeHtml(s.feedKind(name))}</p>
<h1><bdi>${escapeHtml(model.title)}</bdi></h1>
<p class="lede">${escapeHtml(model.description)}</p>
</div>
<section class="subscribe" aria-labelledby="subscribe">
<h2 id="subscribe">${escapeHtml(s.followHeading)}</h2>
<p>${s.followText(`<bdi dir="ltr">${escapeHtml(READERS)}</bdi>`)}</p>
<a class="address" href="${escapeHtml(self)}" type="${FEED_MEDIA_TYPES[format]}">${copyableUrl(self)}</a>
${archive}<p>${s.alsoIn(others, linkTo(model.homeUrl), linkTo(new URL("feeds", site.baseUrl).href))}</p>
</section>
<h2 class="in-feed">${escapeHtml(s.inFeedNow)}</h2>
${articleList(site, model.articles)}`;
  return page(site, {
    title: s.viewTitle(model.title, name),
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
