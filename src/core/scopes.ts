import type { ArticleMeta } from "./article.js";
import { slugify } from "./slug.js";
import type { Tombstone } from "./tombstone.js";

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

/** What an article files under: an article's meta, or what a tombstone remembers of it. */
export type Filing = Pick<ArticleMeta, "categories" | "language"> & { authors: readonly { name: string }[] };

/** What a withdrawn article was filed under; undefined for a tombstone that predates scopes (site-wide only). */
export function filingOf(t: Tombstone): Filing | undefined {
  if (!t.categories || !t.authors || t.language === undefined) return undefined;
  return { categories: t.categories, authors: t.authors.map((name) => ({ name })), language: t.language };
}

/** The names an article files under for each kind. */
function namesOf(entry: Filing, kind: Exclude<ScopeKind, "site">): string[] {
  if (kind === "category") return entry.categories;
  if (kind === "author") return entry.authors.map((a) => a.name);
  return [entry.language];
}

function slugOf(kind: Exclude<ScopeKind, "site">, name: string): string {
  return kind === "language" ? name.toLowerCase() : slugify(name);
}

export function inScope(entry: Filing, scope: Scope): boolean {
  if (scope.kind === "site") return true;
  return namesOf(entry, scope.kind).some((n) => slugOf(scope.kind as Exclude<ScopeKind, "site">, n) === scope.slug);
}

/** A withdrawn article is in a scope when it was filed under it; one without scopes only in the site's. */
export function tombstoneInScope(t: Tombstone, scope: Scope): boolean {
  if (scope.kind === "site") return true;
  const filing = filingOf(t);
  return !!filing && inScope(filing, scope);
}

function labelsOf(entries: readonly Filing[], kind: Exclude<ScopeKind, "site">, labels = new Map<string, string>()): Map<string, string> {
  for (const entry of entries) {
    for (const name of namesOf(entry, kind)) {
      const slug = slugOf(kind, name);
      if (slug === "") continue;
      const current = labels.get(slug);
      if (current === undefined || name < current) labels.set(slug, name);
    }
  }
  return labels;
}

/**
 * Every scope of a kind that has articles, or had them (`withdrawn`: a scope
 * whose articles were all withdrawn keeps its feeds, so its subscribers learn
 * of the withdrawals), sorted by slug. When several names share a slug
 * ("R&D", "R D") the first in sort order labels it; live articles' names
 * label a scope before withdrawn ones, so a withdrawal never relabels a live scope.
 */
export function scopesOf(entries: readonly Filing[], kind: Exclude<ScopeKind, "site">, withdrawn: readonly Tombstone[] = []): Scope[] {
  const labels = labelsOf(entries, kind);
  const gone = withdrawn.flatMap((t) => filingOf(t) ?? []);
  for (const [slug, name] of labelsOf(gone, kind)) if (!labels.has(slug)) labels.set(slug, name);
  return [...labels]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, label]) => ({ kind, slug, label, path: scopePath(kind, slug) }));
}

