import { execFileSync } from "node:child_process";
import { SaxesParser } from "saxes";

/** A minimal element tree from a strict, namespace-aware XML 1.0 parser. */
export interface XmlElement {
  name: string;
  /** Namespace URI of the element. */
  uri: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data (text and CDATA) directly inside the element. */
  text: string;
  /** 1-based source lines where the element starts and ends. */
  line: number;
  endLine: number;
}

/** Parses with saxes (strict: any well-formedness or namespace error throws). */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const attrs: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attrs[name] = typeof attr === "string" ? attr : attr.value;
    const el: XmlElement = { name: tag.name, uri: tag.uri ?? "", local: tag.local ?? tag.name, attrs, children: [], text: "", line: parser.line, endLine: parser.line };
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  const addText = (text: string) => {
    if (stack.length) stack[stack.length - 1]!.text += text;
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    stack.pop()!.endLine = parser.line;
  });
  parser.write(xml).close();
  if (!root) throw new Error("no root element");
  return root;
}

export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement {
  const found = children(el, name)[0];
  if (!found) throw new Error(`<${el.name}> has no <${name}>`);
  return found;
}

/** libxml2's own parser (Debian libxml2-utils), as a second, independent well-formedness check. */
export function xmllint(xml: string): void {
  execFileSync("xmllint", ["--noout", "--nonet", "-"], { input: xml, stdio: ["pipe", "pipe", "pipe"] });
}
