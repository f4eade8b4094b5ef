/**
 * The log lines for content changes on Node, one per change, whoever made it
 * (the publish API or a file edited in items/): kept here so the catalog
 * only says what happened.
 */
import type { CatalogChange } from "./live-catalog.js";

/** `withdrawn`: the article left the feeds with a tombstone (deleted), as opposed to becoming a draft. */
export function changeLine(change: CatalogChange, withdrawn: boolean): string {
  const { before, after } = change;
  if (after && !before) return `published: ${after.file} (/items/${after.slug})`;
  if (after && before) return before.slug === after.slug ? `updated: ${after.file} (/items/${after.slug})` : `updated: ${after.file} (/items/${before.slug} is now /items/${after.slug})`;
  const file = before?.file ?? change.slug;
  return withdrawn ? `deleted: ${file} (/items/${change.slug}; tombstone kept)` : `unpublished: ${file} (/items/${change.slug}; now a draft)`;
}

/** A record written while embargoed (or dated in the future): stored, not shown until `from`. */
export function heldBackLine(article: { file: string; slug: string }, from: number): string {
  return `embargoed until ${new Date(from).toISOString()}: ${article.file} (/items/${article.slug})`;
}

/** An embargo lifted: the article is shown from now on. */
export function liftedLine(article: { file: string; slug: string }): string {
  return `published (embargo lifted): ${article.file} (/items/${article.slug})`;
}

/** A record that could not be used as it now is; `previous` tells whether a last good version is still served. */
export function refusedLine(message: string, previous: boolean): string {
  return previous ? `record not updated (keeping the last good version): ${message}` : `skipped record: ${message}`;
}

/** A load's summary, continued: how many records it held back for their embargo and when the first lifts (nothing when none). */
export function heldBackNote(load: { heldBack: number; nextLift?: number }): string {
  return load.nextLift === undefined ? "" : `; ${load.heldBack} held back until their embargo lifts (the first at ${new Date(load.nextLift).toISOString()})`;
}
