import type { Article } from "./article.js";
import { withCredit } from "./credit.js";
import { renderBody } from "./markdown.js";
import { stringsFor } from "./render/page-strings.js";
import { escapeHtml } from "./text.js";

/** A correction note as HTML, labelled in the article's language: it opens the story wherever the story goes. */
export function correctionHtml(article: Pick<Article, "correction" | "language">): string {
  if (!article.correction) return "";
  return `<p class="correction"><strong>${escapeHtml(stringsFor(article.language).correction)}:</strong> ${escapeHtml(article.correction)}</p>`;
}

/** A feed item's content: the correction note, if any, then the body opened by its wire credit. */
export function feedContentHtml(article: Article): string {
  const body = withCredit(renderBody(article).html, article);
  const note = correctionHtml(article);
  return note ? `${note}\n${body}` : body;
}
