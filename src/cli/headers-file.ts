import { looksLikeArchiveKey } from "../core/archive.js";
import { kindOfSegment } from "../core/scopes.js";

/** A file's URL path and the response headers a static host must send for it, as the server does. */
export interface PathHeaders {
  path: string;
  headers: readonly (readonly [string, string])[];
}

/** One block of a _headers file: a URL pattern and the headers of every path it matches. */
export interface HeaderRule {
  pattern: string;
  headers: readonly (readonly [string, string])[];
}

/** Cloudflare Pages reads at most this many rules from _headers and ignores the rest. */
export const MAX_HEADER_RULES = 100;
/** Cloudflare Pages ignores a _headers line longer than this. */
export const MAX_HEADER_LINE = 2000;

/**
 * The rule a path falls under, and how its header values become the rule's:
 * every path of one kind of URL (an article page, a category's RSS feed, an
 * archive page of an author's Atom feed) shares one pattern, so the number of
 * rules depends on the site's kinds of URL, never on how many articles or
 * scopes it has. Where a value names the path's own scope or archive page (a
 * Link header), that part becomes the pattern's placeholder, which the host
 * fills in from the request's path.
 */
function shapeOf(path: string): { pattern: string; template: (value: string) => string } {
  const segments = path.split("/");
  if (segments.length === 3 && segments[1] === "items" && segments[2] !== "") return { pattern: "/items/*", template: (v) => v };
  const swaps: [string, string][] = [];
  if (segments.length >= 4 && kindOfSegment(segments[1]!) && segments[2] !== "") {
    swaps.push([`/${segments[1]}/${segments[2]}/`, `/${segments[1]}/:slug/`]);
  }
  const archive = segments.length - 3;
  if (archive >= 1 && segments[archive] === "archive" && looksLikeArchiveKey(segments[archive + 1]!)) {
    swaps.push([`/archive/${segments[archive + 1]}/`, "/archive/:page/"]);
  }
  // An older page of a list (/page/2/, /categories/x/page/3/): one rule for every page number.
  const page = segments.length - 3;
  if (page >= 1 && segments[page] === "page" && /^[1-9][0-9]*$/.test(segments[page + 1]!) && segments[page + 2] === "") {
    swaps.push([`/page/${segments[page + 1]}/`, "/page/:n/"]);
  }
  const template = (value: string) => swaps.reduce((v, [from, to]) => v.split(from).join(to), value);
  return { pattern: template(path), template };
}

/** A rule pattern as Cloudflare Pages matches it: one `*` (any characters), `:name` (one segment), anchored. */
function patternRegExp(pattern: string): RegExp {
  const escape = (s: string) => s.replace(/[-/\\^$+?.()|[\]{}]/g, "\\$&");
  const body = pattern
    .split("*")
    .map((part) => escape(part).replace(/:([A-Za-z]\w*)/g, "(?<$1>[^/]+)"))
    .join("(?<splat>.*)");
  return new RegExp(`^${body}$`);
}

/**
 * The headers a host following Cloudflare Pages' rules sends for a path:
 * every matching rule applies, in file order; a name set twice is joined with
 * ", "; `:name` in a value is replaced by what the pattern matched there.
 */
export function headersForPath(rules: readonly HeaderRule[], path: string): [string, string][] {
  const out = new Map<string, [string, string]>();
  for (const rule of rules) {
    const match = patternRegExp(rule.pattern).exec(path);
    if (!match) continue;
    const groups = Object.entries(match.groups ?? {});
    for (const [name, raw] of rule.headers) {
      const value = groups.reduce((v, [key, got]) => v.split(`:${key}`).join(got), raw);
      const seen = out.get(name.toLowerCase());
      out.set(name.toLowerCase(), seen ? [seen[0], `${seen[1]}, ${value}`] : [name, value]);
    }
  }
  return [...out.values()];
}

const same = (a: readonly (readonly [string, string])[], b: readonly (readonly [string, string])[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fewest rules that give every path exactly its headers and nothing
 * more: one per kind of URL (see shapeOf), and a path of its own for any
 * path whose headers its kind's rule would get wrong (none, for the headers
 * the wirefeed app sends). Each path matches one rule only, so hosts that
 * combine matching rules differently still agree.
 */
export function headerRules(files: readonly PathHeaders[]): HeaderRule[] {
  const groups = new Map<string, { file: PathHeaders; templated: [string, string][] }[]>();
  for (const file of files) {
    const { pattern, template } = shapeOf(file.path);
    const templated = file.headers.map(([name, value]) => [name, template(value)] as [string, string]);
    groups.set(pattern, [...(groups.get(pattern) ?? []), { file, templated }]);
  }
  const rules: HeaderRule[] = [];
  for (const [pattern, members] of groups) {
    const shared: HeaderRule = { pattern, headers: members[0]!.templated };
    const fits = members.every((m) => same(m.templated, shared.headers) && same(headersForPath([shared], m.file.path), m.file.headers));
    if (fits) rules.push(shared);
    else for (const m of members) rules.push({ pattern: m.file.path, headers: m.file.headers });
  }
  for (const file of files) {
    if (!same(headersForPath(rules, file.path), file.headers)) {
      throw new Error(`_headers would give ${file.path} other headers than the server sends`);
    }
  }
  return rules;
}

/** The rules as _headers text, after the given comment lines (each without its "# "). */
export function renderHeaderRules(comments: readonly string[], rules: readonly HeaderRule[]): string {
  const lines = comments.map((c) => `# ${c}`);
  for (const rule of rules) {
    lines.push(rule.pattern);
    for (const [name, value] of rule.headers) lines.push(`  ${name}: ${value}`);
  }
  return `${lines.join("\n")}\n`;
}
