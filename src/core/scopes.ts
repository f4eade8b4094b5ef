import type { ArticleMeta } from "./article.js";
import { slugify } from "./slug.js";

/** Which articles a feed or listing shows. */
export type ScopeKind = "site" | "category" | "author" | "language";

export interface Scope {
  kind: ScopeKind;
  /** URL segment ("" for the site). */
  slug: string;
  /** Human name: the category, the author, the language tag. */
  label: string;
  /** Path of the scope's HTML page relative to the base URL: "", "categories/x/", … */
  path: string;
}

export const SITE_SCOPE: Scope = { kind: "site", slug: "", label: "", path: "" };

const SEGMENT: Record<Exclude<ScopeKind, "site">, string> = {
  category: "categories",
  author: "authors",
  language: "languages",
};

export function scopePath(kind: Exclude<ScopeKind, "site">, slug: string): string {
  return `${SEGMENT[kind]}/${encodeURIComponent(slug)}/`;
}

export function kindOfSegment(segment: string): Exclude<ScopeKind, "site"> | undefined {
  return (Object.keys(SEGMENT) as Exclude<ScopeKind, "site">[]).find((k) => SEGMENT[k] === segment);
}

/** The names an article files under for each kind. */
function namesOf(entry: ArticleMeta, kind: Exclude<ScopeKind, "site">): string[] {
  if (kind === "category") return entry.categories;
  if (kind === "author") return entry.authors.map((a) => a.name);
  return [entry.language];
}

function slugOf(kind: Exclude<ScopeKind, "site">, name: string): string {
  return kind === "language" ? name.toLowerCase() : slugify(name);
}

export function inScope(entry: ArticleMeta, scope: Scope): boolean {
  if (scope.kind === "site") return true;
  return namesOf(entry, scope.kind).some((n) => slugOf(scope.kind as Exclude<ScopeKind, "site">, n) === scope.slug);
}

/**
 * Every scope of a kind that has articles, sorted by slug. When several names
 * share a slug ("R&D", "R D") the first in sort order labels it.
 */
export function scopesOf(entries: readonly ArticleMeta[], kind: Exclude<ScopeKind, "site">): Scope[] {
  const labels = new Map<string, string>();
  for (const entry of entries) {
    for (const name of namesOf(entry, kind)) {
      const slug = slugOf(kind, name);
      if (slug === "") continue;
      const current = labels.get(slug);
      if (current === undefined || name < current) labels.set(slug, name);
    }
  }
  return [...labels]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, label]) => ({ kind, slug, label, path: scopePath(kind, slug) }));
}

