/**
 * What a browser would build from an HTML fragment (parse5, the WHATWG
 * parser), flattened for assertions: every element with its attributes.
 */
import { parseFragment, type DefaultTreeAdapterTypes as T } from "parse5";

export interface HtmlElement {
  tag: string;
  namespace: string;
  attrs: Record<string, string>;
}

export function htmlElements(html: string): HtmlElement[] {
  const out: HtmlElement[] = [];
  const walk = (node: T.ParentNode) => {
    for (const child of node.childNodes) {
      if (!("tagName" in child)) continue;
      out.push({ tag: child.tagName, namespace: child.namespaceURI, attrs: Object.fromEntries(child.attrs.map((a) => [a.name, a.value])) });
      walk(child);
    }
  };
  walk(parseFragment(html));
  return out;
}

/** Text a reader would see (character references decoded), without markup. */
export function htmlText(html: string): string {
  let text = "";
  const walk = (node: T.ParentNode) => {
    for (const child of node.childNodes) {
      if (child.nodeName === "#text") text += (child as T.TextNode).value;
      else if ("childNodes" in child) walk(child);
    }
  };
  walk(parseFragment(html));
  return text;
}

/** Every way HTML could run code, load a frame, style the page or post a form: empty for safe HTML. */
export function unsafeParts(html: string): string[] {
  const found: string[] = [];
  for (const el of htmlElements(html)) {
    if (["script", "iframe", "style", "form", "input", "button", "textarea", "select", "object", "embed", "svg", "math", "link", "meta", "base"].includes(el.tag)) {
      found.push(`<${el.tag}>`);
    }
    if (el.namespace !== "http://www.w3.org/1999/xhtml") found.push(`foreign <${el.tag}>`);
    for (const [name, value] of Object.entries(el.attrs)) {
      if (name.startsWith("on")) found.push(`${el.tag}[${name}]`);
      if (name === "style") found.push(`${el.tag}[style]`);
      if (["href", "src", "cite", "action", "formaction", "srcset", "poster", "background"].includes(name)) {
        const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
        const allowed = name === "href" ? ["http", "https", "mailto"] : ["http", "https"];
        if (!scheme || !allowed.includes(scheme)) found.push(`${el.tag}[${name}=${value}]`);
      }
    }
  }
  return found;
}
