import { quoteForMessage } from "./text.js";

/**
 * URL slugs for category and author names. Unicode-aware: letters and digits
 * of any script are kept (an Arabic or Japanese category keeps its name in
 * the URL, percent-encoded on the wire), everything else becomes "-".
 * Predictable: NFKC, then lower case, so "R&D", "r-d" and "Ｒ＆Ｄ" share one slug.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** Record slugs (file name `<slug>.md`, URL `/items/<slug>`): lower-case ASCII letters, digits, single hyphens. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The longest record slug. A file name may have 255 bytes, and an atomic
 * write's temporary file adds about two dozen characters to `<slug>.md`.
 * 128 leaves room for that and for any headline.
 */
export const MAX_SLUG_LENGTH = 128;

/** What is wrong with a record slug, or undefined when it is a valid one. */
export function slugProblem(slug: string): string | undefined {
  if (slug.length > MAX_SLUG_LENGTH) return `is ${slug.length} characters long; the limit is ${MAX_SLUG_LENGTH}`;
  if (!SLUG.test(slug)) return `${quoteForMessage(slug)} must be lower-case letters, digits and single hyphens`;
  return undefined;
}

export const isSlug = (slug: string): boolean => slugProblem(slug) === undefined;
