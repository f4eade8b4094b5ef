/**
 * XML → a small element tree with line numbers, read by saxes: strict
 * (well-formedness and namespace errors are errors), no DTD processing (an
 * internal subset's entities are never expanded: no entity bombs, no
 * external fetches), and bounded nesting so the walks over the tree may
 * recurse.
 */
import { SaxesParser } from "saxes";
import { RecordError } from "../core/errors.js";

export interface XmlElement {
  /** The local name ("newsItem"), namespace apart. */
  name: string;
  ns: string;
  /** Attributes by local name, except xml:lang, kept as "xml:lang". */
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}
export type XmlNode = XmlElement | string;

/** Deeper than any NewsML-G2 or NITF document goes; within what the walks below may recurse through. */
export const MAX_XML_DEPTH = 200;

/**
 * Named references XHTML bodies use without declaring them (saxes knows only
 * XML's five): turned into their characters rather than refused.
 */
const HTML_ENTITIES: Record<string, string> = {
  nbsp: "\u00A0", copy: "©", reg: "®", trade: "™", mdash: "—", ndash: "–", hellip: "…", lsquo: "‘",
  rsquo: "’", ldquo: "“", rdquo: "”", laquo: "«", raquo: "»", euro: "€", pound: "£", deg: "°", middot: "·", shy: "\u00AD",
};

/** Parses one XML document; throws a RecordError naming `file`, `field` and the line. */
export function parseXml(file: string, text: string, field = "(xml)", lineOffset = 0): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  Object.assign(parser.ENTITIES, HTML_ENTITIES);
  const fail = (problem: string, line: number): never => {
    throw new RecordError(file, field, problem, line + lineOffset);
  };
  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  parser.on("opentag", (tag) => {
    if (stack.length >= MAX_XML_DEPTH) fail(`nests elements deeper than ${MAX_XML_DEPTH} levels`, parser.line);
    const attrs: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === "xmlns" || attribute.name === "xmlns") continue;
      attrs[attribute.prefix === "xml" ? `xml:${attribute.local}` : attribute.local] = attribute.value;
    }
    const element: XmlElement = { name: tag.local, ns: tag.uri, attrs, children: [], line: parser.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const addText = (t: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === "string") parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof RecordError) throw error;
    failure ??= error as Error;
  }
  if (failure) {
    // saxes prefixes "line:column: "; the line goes into the message's place, the rest is the reason.
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(failure.message);
    fail(`is not well-formed XML: ${m ? m[3] : failure.message}`, m ? Number(m[1]) : parser.line);
  }
  if (!root) fail("has no root element", parser.line);
  return root!;
}

export const isElement = (node: XmlNode): node is XmlElement => typeof node !== "string";

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

export function firstChild(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** All text inside, in document order (own stack: no recursion needed). */
export function textOf(element: XmlElement): string {
  let text = "";
  const stack: XmlNode[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === "string") text += node;
    else for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return text;
}
