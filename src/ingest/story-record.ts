/**
 * An agency's ninjs or NewsML-G2 document → the record to write, or what the
 * agency's status asks for instead: the one mapping `wirefeed import` and the
 * publish API share (so both write the same record from the same document).
 * Pure: no node:*, and the clock is the caller's `now`.
 *
 * - `usable` publishes.
 * - `withheld` is refused: the agency holds the story back, nothing is written.
 * - `canceled` is a kill: nothing is written, and the record it withdraws is
 *   named (found by the document's id, else by --slug or the headline's slug)
 *   so the editor, or a script reading stdout, can withdraw it.
 * - an embargo in the future is written as the record's `embargo` field:
 *   every store holds the story back until that instant and publishes it
 *   then (core/embargo.ts); one already past publishes as usable.
 */
import type { SiteConfig } from "../core/config.js";
import { parseRecordDate } from "../core/dates.js";
import { RecordError } from "../core/errors.js";
import { recordText } from "../core/record-writer.js";
import { slugify } from "../core/record-slug.js";
import { bodyMarkdown } from "./body.js";
import type { DocumentKind } from "./document.js";
import type { ImportedStory, Origin } from "./imported-story.js";
import { parseNewsmlG2 } from "./newsml-g2.js";
import { parseNinjs } from "./ninjs.js";
import type { RecordPlan } from "./record-plan.js";

export type StructuredOutcome =
  | { kind: "record"; plan: RecordPlan }
  /** `error` says where (the JSON path or XML element and line) and what, for answers that give them apart. */
  | { kind: "refused"; message: string; error: RecordError }
  | { kind: "kill"; story: ImportedStory; message: string };

const where = (file: string, origin: Origin) => `${file}${origin.line ? `:${origin.line}` : ""}: ${origin.field}`;

export function structuredOutcome(label: string, kind: Exclude<DocumentKind, "plain text">, text: string, site: SiteConfig, now: Date): StructuredOutcome {
  const parsed = kind === "ninjs" ? parseNinjs(label, text, site.timeZone) : parseNewsmlG2(label, text, site.timeZone);
  if (!parsed.ok) return { kind: "refused", message: parsed.error.message, error: parsed.error };
  const story = parsed.story;
  const status = where(label, story.statusOrigin);
  if (story.status === "withheld") {
    const error = new RecordError(label, story.statusOrigin.field, "withheld: the agency holds this story back until further notice; nothing written", story.statusOrigin.line);
    return { kind: "refused", message: `${status}: withheld: the agency holds this story back until further notice; nothing written`, error };
  }
  if (story.status === "canceled") return { kind: "kill", story, message: `${status}: canceled: the agency killed this story` };

  const notes = [`import: ${label}: read as ${story.format}`, ...story.notes.map((note) => `import: ${label}: ${note}`)];
  const until = story.embargo ? (parseRecordDate(story.embargo.until, site.timeZone) as Date) : undefined;
  const embargoed = story.embargo !== undefined && until!.getTime() > now.getTime();
  const fields: Record<string, unknown> = {
    title: story.title,
    published: story.published,
    ...(embargoed ? { embargo: story.embargo!.until } : {}),
    ...(story.updated ? { updated: story.updated } : {}),
    ...(story.dateline ? { dateline: story.dateline } : {}),
    ...(story.source ? { source: story.source } : {}),
    ...(story.language && story.language.toLowerCase() !== site.language.toLowerCase() ? { language: story.language } : {}),
    ...(story.authors.length ? { authors: story.authors } : {}),
    ...(story.categories.length ? { categories: story.categories } : {}),
    ...(story.id ? { id: story.id } : {}),
  };
  if (story.embargo) {
    notes.push(
      embargoed
        ? `import: ${where(label, story.embargo)}: embargoed until ${story.embargo.until}: written with embargo: ${story.embargo.until}; the site shows it from that instant`
        : `import: ${where(label, story.embargo)}: the embargo (${story.embargo.until}) has passed; published`,
    );
  }
  return {
    kind: "record",
    plan: {
      ...slugSource(story),
      fields,
      body: (articleUrl) => bodyMarkdown(label, story.body, articleUrl),
      notes,
    },
  };
}

/** The body as Markdown, or the RecordError naming its field (an HTML body nested too deep, a body with no text). */
export function planBody(plan: RecordPlan, articleUrl: string): string | RecordError {
  try {
    return plan.body(articleUrl);
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw error;
  }
}

/** The order an editor reads a record in, whatever the format filled in first. */
const FIELD_ORDER = ["title", "published", "embargo", "updated", "dateline", "source", "desk", "language", "authors", "categories", "id", "draft"];

function orderFields(fields: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (fields[key] !== undefined) ordered[key] = fields[key];
  for (const [key, value] of Object.entries(fields)) if (!(key in ordered) && value !== undefined) ordered[key] = value;
  return ordered;
}

/** The record file: the fields (the plan's, or the caller's changes of them) in reading order, then the body. */
export function planRecordText(plan: RecordPlan, body: string, fields: Record<string, unknown> = plan.fields): string {
  return recordText(orderFields(fields), body);
}

/** "KUWAIT CITY 2022-06-29" → "kuwait-city-2022-06-29"; nothing when no letter is left (a place in another script). */
function placeSlug(text: string): string {
  const slug = slugify(text);
  return /[a-z]/.test(slug) ? slug : "";
}

type SlugSource = Pick<RecordPlan, "slugline" | "title" | "fallbackSlug" | "date">;

/** What a story's slug is made from: slugline, headline, the dateline's place and the date. */
export function slugSource(story: Pick<ImportedStory, "slugline" | "title" | "dateline" | "published">): SlugSource {
  const date = story.published.slice(0, 10);
  return { ...(story.slugline ? { slugline: story.slugline } : {}), title: story.title, fallbackSlug: `${story.dateline ?? ""} ${date}`, date };
}

/** The slug `wirefeed import` gives a record: from the headline, else the dateline's place and date, else "story-<date>". */
export function planSlug(plan: SlugSource): string {
  return slugify(plan.title) || placeSlug(plan.fallbackSlug) || `story-${plan.date}`;
}

/** The slug a document names for itself (the publish API's POST): its slugline when it makes one, else as planSlug. */
export function documentSlug(plan: SlugSource): string {
  return (plan.slugline ? slugify(plan.slugline) : "") || planSlug(plan);
}
