import { stringify } from "yaml";

/**
 * A record file from fields and a Markdown body: the publish API's JSON
 * becomes exactly the file an editor would write, and is then validated by
 * the same parser as every other record. YAML is written by the `yaml`
 * package, so any string value (quotes, colons, "---", newlines) round-trips.
 */
export function recordText(fields: Record<string, unknown>, body: string): string {
  const yaml = Object.keys(fields).length ? stringify(fields, { lineWidth: 0 }) : "";
  return `---\n${yaml}---\n\n${body.replace(/\r\n?/g, "\n").trim()}\n`;
}
