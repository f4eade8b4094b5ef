/**
 * Checks both structured readers share: dates, language tags, ids, the
 * publication status, and text as records want it.
 */
import { parseRecordDate } from "../core/dates.js";
import { isLanguageTag } from "../core/language.js";
import { isCanonicalUri } from "../core/record.js";
import { collapseWhitespace, quoteForMessage, stripForbiddenXmlChars } from "../core/text.js";
import type { PubStatus } from "./imported-story.js";

/** A document this large is no single story; read no further (the record itself is limited to 1 MiB). */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** Problem text for a date, or undefined when the record parser will accept it. */
export function dateProblem(text: string, timeZone: string): string | undefined {
  const parsed = parseRecordDate(text.trim(), timeZone);
  if (typeof parsed === "string") return parsed;
  // A bare date would be midnight in the site's zone: the agency gave a day, not an instant, so say so rather than guess.
  if (!/[Tt ]\d{2}:\d{2}/.test(text)) return `${quoteForMessage(text)} has no time of day; expected a date-time with offset`;
  return undefined;
}

export function languageProblem(tag: string): string | undefined {
  return isLanguageTag(tag) ? undefined : `${quoteForMessage(tag)} is not a BCP 47 language tag`;
}

/** The document's URI as the record's id, or a note saying why it is not used. */
export function idFromUri(uri: string | undefined, where: string): { id?: string; note?: string } {
  if (uri === undefined || uri.trim() === "") return {};
  const trimmed = uri.trim();
  if (isCanonicalUri(trimmed)) return { id: trimmed };
  return { note: `${where} ${quoteForMessage(trimmed)} is not a canonical absolute URI; the record gets its own id` };
}

/** "usable", "stat:usable", "http://cv.iptc.org/newscodes/pubstatusg2/usable" → PubStatus; undefined for anything else. */
export function pubStatusOf(value: string): PubStatus | undefined {
  const code = value.trim().replace(/^.*[:/]/, "").toLowerCase();
  return code === "usable" || code === "withheld" || code === "canceled" ? code : code === "cancelled" ? "canceled" : undefined;
}

/** A one-line text field: hygiene applied, white space collapsed. */
export function lineText(text: string): string {
  return collapseWhitespace(stripForbiddenXmlChars(text));
}

/** "By Meredith Jameson" → "Meredith Jameson": the byline's own "By" is no part of the name. */
export function creditName(by: string): string {
  return lineText(by).replace(/^by\s+/i, "");
}

/** Names once each, in order, empty ones dropped. */
export function distinct(names: readonly string[]): string[] {
  return [...new Set(names.map(lineText).filter((n) => n !== ""))];
}
