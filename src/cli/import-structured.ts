/**
 * The ninjs and NewsML-G2 paths of `wirefeed import`: the document's story
 * → the record to write, or what the agency's status asks for instead.
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
import { bodyMarkdown } from "../ingest/body.js";
import type { DocumentKind } from "../ingest/document.js";
import type { ImportedStory, Origin } from "../ingest/imported-story.js";
import { parseNewsmlG2 } from "../ingest/newsml-g2.js";
import { parseNinjs } from "../ingest/ninjs.js";
import type { RecordPlan } from "./import-plan.js";

export type StructuredOutcome =
  | { kind: "record"; plan: RecordPlan }
  | { kind: "refused"; message: string }
  | { kind: "kill"; story: ImportedStory; message: string };

const where = (file: string, origin: Origin) => `${file}${origin.line ? `:${origin.line}` : ""}: ${origin.field}`;

export function structuredOutcome(label: string, kind: Exclude<DocumentKind, "plain text">, text: string, site: SiteConfig, now: Date): StructuredOutcome {
  const parsed = kind === "ninjs" ? parseNinjs(label, text, site.timeZone) : parseNewsmlG2(label, text, site.timeZone);
  if (!parsed.ok) return { kind: "refused", message: parsed.error.message };
  const story = parsed.story;
  const status = where(label, story.statusOrigin);
  if (story.status === "withheld") {
    return { kind: "refused", message: `${status}: withheld: the agency holds this story back until further notice; nothing written` };
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
  const date = story.published.slice(0, 10);
  return {
    kind: "record",
    plan: {
      title: story.title,
      fallbackSlug: `${story.dateline ?? ""} ${date}`,
      date,
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
