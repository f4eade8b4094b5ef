/**
 * Slugs for file names and URLs: lower-case ASCII letters, digits and single
 * hyphens (core/record.ts SLUG). Latin letters lose their accents, a few
 * letters that have no decomposition are spelled out, other scripts drop out
 * (the caller falls back to a date-based slug when nothing is left).
 */

/**
 * Slugs made from a title or headline stop here: long enough for a
 * headline's gist, short enough for a URL someone reads aloud. (Any record
 * slug may have up to MAX_SLUG_LENGTH of core/slug.ts, 128; --slug may use it.)
 */
export const MAX_SLUG_LENGTH = 80;

const SPELLED: Record<string, string> = {
  ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", þ: "th", ł: "l", ı: "i", ħ: "h", ŋ: "ng",
};

/** Cuts at a hyphen so no word is split, unless a single word is longer than the limit. */
function shorten(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1).lastIndexOf("-");
  return (cut > 0 ? slug.slice(0, cut) : slug.slice(0, max)).replace(/-+$/, "");
}

export function slugify(text: string, max = MAX_SLUG_LENGTH): string {
  const latin = text
    .toLowerCase()
    .replace(/[ßæœøđðþłıħŋ]/g, (c) => SPELLED[c]!)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "");
  // "Russia's" → "russias", not "russia-s".
  const slug = latin.replace(/['’ʼ]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return shorten(slug, max);
}

/** `base`, or `base-2`, `base-3`… : the first that is not taken, still within the length limit. */
export function freeSlug(base: string, taken: ReadonlySet<string>, max = MAX_SLUG_LENGTH): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${shorten(base, max - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
