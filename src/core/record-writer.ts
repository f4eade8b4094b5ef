import yaml from "js-yaml";

/**
 * A record file from fields and a Markdown body: the publish API's JSON and
 * the CLI's new/import commands become exactly the file an editor would
 * write, then validated by the same parser as every other record. The YAML
 * is dumped by js-yaml, so any string (quotes, colons, "#", newlines) reads
 * back as itself; lineWidth -1 never folds a value, since a folded line
 * starting "---" would end the front matter early.
 */
export function recordText(fields: Record<string, unknown>, body: string): string {
  const front = Object.keys(fields).length ? yaml.dump(fields, { lineWidth: -1, noRefs: true, schema: yaml.CORE_SCHEMA }) : "";
  return `---\n${front}---\n\n${body.replace(/\r\n?/g, "\n").trim()}\n`;
}
