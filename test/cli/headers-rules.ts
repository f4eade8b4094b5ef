/**
 * A reader of _headers files as Cloudflare Pages documents them
 * (developers.cloudflare.com/pages/configuration/headers/), written for the
 * tests independently of src/cli/headers-file.ts:
 * - a line starting with "/" opens a rule; indented "Name: value" lines follow;
 *   "! Name" removes a header; "#" lines are comments;
 * - at most 100 rules, lines of at most 2,000 characters;
 * - "*" (one per rule) matches any characters; ":name" matches one path segment;
 * - every matching rule applies; a header set by two rules gets both values, joined by ", ";
 * - ":name" (and ":splat") in a value is replaced by what the pattern matched.
 */
export interface ParsedRule {
  pattern: string;
  set: [string, string][];
  unset: string[];
}

export function parseHeadersFile(text: string): ParsedRule[] {
  const rules: ParsedRule[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.length > 2000) throw new Error(`line ${index + 1} is over 2,000 characters`);
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (line.startsWith("/")) {
      if ((line.match(/\*/g) ?? []).length > 1) throw new Error(`line ${index + 1}: more than one splat`);
      rules.push({ pattern: line, set: [], unset: [] });
      continue;
    }
    const rule = rules.at(-1);
    if (!rule || !/^\s/.test(line)) throw new Error(`line ${index + 1}: a header outside a rule`);
    if (trimmed.startsWith("! ")) rule.unset.push(trimmed.slice(2).toLowerCase());
    else {
      const colon = trimmed.indexOf(":");
      if (colon < 1) throw new Error(`line ${index + 1}: not "Name: value"`);
      rule.set.push([trimmed.slice(0, colon).trim().toLowerCase(), trimmed.slice(colon + 1).trim()]);
    }
  }
  return rules;
}

function matcher(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const name = /^:([A-Za-z]\w*)/.exec(pattern.slice(i));
    if (name) {
      source += `(?<${name[1]}>[^/]+)`;
      i += name[0].length - 1;
    } else if (c === "*") source += "(?<splat>.*)";
    else source += /[\w/~%-]/.test(c) ? c : `\\${c}`;
  }
  return new RegExp(`^${source}$`);
}

/** Header name (lower case) → value, for a request path, as the host would send them. */
export function effectiveHeaders(rules: readonly ParsedRule[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    const found = matcher(rule.pattern).exec(path);
    if (!found) continue;
    for (const name of rule.unset) delete out[name];
    for (const [name, raw] of rule.set) {
      let value = raw;
      for (const [key, got] of Object.entries(found.groups ?? {})) value = value.replaceAll(`:${key}`, got);
      out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
    }
  }
  return out;
}

/** The rules whose pattern matches the path. */
export function matchingRules(rules: readonly ParsedRule[], path: string): ParsedRule[] {
  return rules.filter((r) => matcher(r.pattern).test(path));
}

/** What a static host must send as the server does: every header the server's answer has, of these. */
export const MIRRORED = [
  "content-type",
  "cache-control",
  "link",
  "access-control-allow-origin",
  "access-control-expose-headers",
  "x-content-type-options",
  "content-security-policy",
  "referrer-policy",
];
