/**
 * Where a field sits in block-style YAML front matter (its lines), for error messages
 * ("items/x.md:6: categories[1]: …"). Only consulted when a record has a
 * problem, so parsing valid records stays a plain, fast load. It reads the
 * layout front matter has (top-level keys at column 0, lists of scalars or
 * of small mappings); for anything else it answers the nearest enclosing line.
 *
 * Keys are matched by plain string comparison, never by a RegExp built from
 * the record: a key is text an outsider chose, and a RegExp made of 40,000
 * characters of it is one V8 refuses to compile.
 */
export function lineOfPath(lines: readonly string[], path: readonly (string | number)[]): number | undefined {
  const [key, index, sub] = path;
  if (typeof key !== "string") return undefined;
  const keyLine = lines.findIndex((l) => keyAt(l, 0, key));
  if (keyLine === -1) return undefined;
  if (typeof index !== "number") return keyLine + 1;
  // The key's block: following lines that are indented, blank or comments.
  let end = keyLine + 1;
  while (end < lines.length && (/^\s/.test(lines[end]!) || lines[end]!.trim() === "" || lines[end]!.startsWith("#"))) end++;
  const items = [];
  for (let i = keyLine + 1; i < end; i++) if (/^\s*-(\s|$)/.test(lines[i]!) && indentOf(lines[i]!) === indentOf(firstItem(lines, keyLine + 1, end))) items.push(i);
  const itemLine = items[index];
  if (itemLine === undefined) return keyLine + 1;
  if (typeof sub !== "string") return itemLine + 1;
  const itemEnd = items[index + 1] ?? end;
  for (let i = itemLine; i < itemEnd; i++) if (keyAt(lines[i]!, afterItemMarker(lines[i]!), sub)) return i + 1;
  return itemLine + 1;
}

/** True when `line` has, from `at`, the key (bare, or in matching single or double quotes), optional blanks, then ":". */
function keyAt(line: string, at: number, key: string): boolean {
  for (const quote of ["", '"', "'"]) {
    if (!line.startsWith(`${quote}${key}${quote}`, at)) continue;
    let i = at + key.length + 2 * quote.length;
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === ":") return true;
  }
  return false;
}

/** Where a key may start on a line: after the indentation and, on a list item's first line, after "- ". */
function afterItemMarker(line: string): number {
  let i = indentOf(line);
  if (line[i] === "-" && (line[i + 1] === " " || line[i + 1] === "\t")) {
    i++;
    while (line[i] === " " || line[i] === "\t") i++;
  }
  return i;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function firstItem(lines: readonly string[], from: number, to: number): string {
  for (let i = from; i < to; i++) if (/^\s*-(\s|$)/.test(lines[i]!)) return lines[i]!;
  return "";
}
