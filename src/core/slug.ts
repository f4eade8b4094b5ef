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
