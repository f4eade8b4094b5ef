import yaml from "js-yaml";
import { RecordError } from "./errors.js";
import { stripForbiddenXmlChars } from "./text.js";

/**
 * How deep lists and mappings may nest under a field: authors[0].name needs
 * two levels. Deeper input (JSON nested 100,000 deep, say) is refused before
 * the YAML dump, which walks it by recursion and would run out of stack.
 */
export const MAX_FIELD_NESTING = 4;

/**
 * A record file from fields and a Markdown body: the publish API's JSON and
 * the CLI's new/import commands become exactly the file an editor would
 * write, then validated by the same parser as every other record. The YAML
 * is dumped by js-yaml, so any string (quotes, colons, "#", newlines) reads
 * back as itself; lineWidth -1 never folds a value, since a folded line
 * starting "---" would end the front matter early.
 *
 * Every string (keys, values, the body) gets the text hygiene of
 * src/core/text.ts before it is written, the rule the parser applies to
 * every field it reads: a lone surrogate or a control character is removed
 * wherever it appears. (Written raw, a lone surrogate would become U+FFFD
 * in the UTF-8 bytes, and stay there.)
 *
 * Throws a RecordError naming the field that nests deeper than
 * MAX_FIELD_NESTING.
 */
export function recordText(fields: Record<string, unknown>, body: string, file = "(record)"): string {
  const tooDeep = deepestPath(fields, MAX_FIELD_NESTING);
  if (tooDeep) throw new RecordError(file, tooDeep, `nests lists or mappings deeper than ${MAX_FIELD_NESTING} levels`);
  const clean = cleanStrings(fields) as Record<string, unknown>;
  const front = Object.keys(clean).length ? yaml.dump(clean, { lineWidth: -1, noRefs: true, schema: yaml.CORE_SCHEMA }) : "";
  return `---\n${front}---\n\n${stripForbiddenXmlChars(body).replace(/\r\n?/g, "\n").trim()}\n`;
}

/**
 * The path ("c[0][0][0][0]") to the first list or mapping deeper than `max`
 * levels under a field, or undefined. Its own stack, not recursion: the
 * input may be deeper than the call stack.
 */
function deepestPath(fields: Record<string, unknown>, max: number): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = Object.entries(fields).map(([key, value]) => ({ value, path: key, depth: 0 }));
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (depth === max) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
    else for (const [key, v] of Object.entries(value)) stack.push({ value: v, path: `${path}.${key.slice(0, 64)}`, depth: depth + 1 });
  }
  return undefined;
}

/** A copy with the text hygiene applied to every string, keys included (depth already bounded). */
function cleanStrings(value: unknown): unknown {
  if (typeof value === "string") return stripForbiddenXmlChars(value);
  if (Array.isArray(value)) return value.map(cleanStrings);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripForbiddenXmlChars(k), cleanStrings(v)]));
  }
  return value;
}
