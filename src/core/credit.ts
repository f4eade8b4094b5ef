import type { Article } from "./article.js";
import { escapeHtml } from "./text.js";

/**
 * Wire copy carries its credit wherever it goes: "SEOUL (Yonhap) —" opens
 * the story on the page and in every feed's content. The desk trailer
 * ("(end) mk.ibi") is the desk's, not the reader's: it is not part of it.
 */
export function creditText(article: Pick<Article, "dateline" | "source">): string {
  const place = article.dateline ?? "";
  const agency = article.source ? `(${article.source})` : "";
  const credit = [place, agency].filter((s) => s !== "").join(" ");
  return credit ? `${credit} —` : "";
}

/** The credit as HTML (a `<strong class="dateline">`), opening the first paragraph of `html`. */
export function withCredit(html: string, article: Pick<Article, "dateline" | "source">): string {
  const credit = creditText(article);
  if (!credit) return html;
  const strong = `<strong class="dateline">${escapeHtml(credit)}</strong> `;
  if (html.startsWith("<p>")) return `<p>${strong}${html.slice(3)}`;
  return html ? `<p>${strong}</p>\n${html}` : `<p>${strong}</p>`;
}
