/**
 * Where a field sits in block-style YAML front matter, for error messages
 * ("items/x.md:6: categories[1]: …"). Only consulted when a record has a
 * problem, so parsing valid records stays a plain, fast load. It reads the
 * layout front matter has (top-level keys at column 0, lists of scalars or
 * of small mappings); for anything else it answers the nearest enclosing line.
 */
export function lineOfPath(yaml: string, path: readonly (string | number)[]): number | undefined {
  const lines = yaml.split("\n");
  const [key, index, sub] = path;
  if (typeof key !== "string") return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const keyLine = lines.findIndex((l) => new RegExp(`^(["']?)${escaped}\\1\\s*:`).test(l));
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
  const subEscaped = sub.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (let i = itemLine; i < itemEnd; i++) if (new RegExp(`^\\s*(-\\s+)?(["']?)${subEscaped}\\2\\s*:`).test(lines[i]!)) return i + 1;
  return itemLine + 1;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function firstItem(lines: string[], from: number, to: number): string {
  for (let i = from; i < to; i++) if (/^\s*-(\s|$)/.test(lines[i]!)) return lines[i]!;
  return "";
}
