/**
 * Article HTML → safe, well-formed HTML for feeds and pages. parse5 (the
 * WHATWG HTML parser) first reads it as a browser would; then two stages:
 *
 * 0. script, style, iframe, forms and the like are removed with their contents.
 * 1. `xss` (js-xss) filters by allow-list: only the tags below survive, each
 *    with only its listed attributes; comments go. Pure JS, no Node
 *    built-ins, ~20 KB.
 * 2. parse5 (the WHATWG HTML parser, the same the validator check uses) builds
 *    the tree a browser would build from that, which is then written out by
 *    `serialize` below: unclosed and misnested tags come out balanced, and
 *    URLs are checked on the values a browser would see (entities decoded).
 *
 * The tree pass enforces the URL policy (http/https/mailto links, http/https
 * images, always absolute), drops images left without a source and removes
 * characters XML cannot carry or HTML calls parse errors. It re-checks the
 * allow-list too, so no element or attribute can slip through a difference
 * between the two parsers.
 */
// The default import: xss is CommonJS, and only the module object itself carries FilterXSS in every
// loader we run under (Node ESM, esbuild's Worker bundle, workerd's test pool).
import xss, { type FilterXSS as FilterXSSClass } from "xss";
import { defaultTreeAdapter, parseFragment, serialize as serializeTree, type DefaultTreeAdapterTypes as T } from "parse5";
import { RENDER_LIMITS, tooDeep } from "./render-limits.js";
import { ALLOWED, cleanAttributes, cleanText, escapeText, startTag, VOID } from "./html-policy.js";

/**
 * Elements removed together with everything inside them (their text is code
 * or chrome, not article). Pruned from the parsed tree: xss's own
 * stripIgnoreTagBody leaves "[removed]" markers behind for nested or
 * unclosed ones.
 */
const DROP_WITH_CONTENT = new Set(["script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select", "svg", "math", "title", "xmp", "noembed", "noframes", "form", "button"]);
const HTML_NS = "http://www.w3.org/1999/xhtml";

/** Removes DROP_WITH_CONTENT elements and foreign (SVG, MathML) subtrees, in place. */
function prune(parent: T.ParentNode): void {
  parent.childNodes = parent.childNodes.filter((node) => {
    if (!("tagName" in node)) return true;
    if (node.namespaceURI !== HTML_NS || DROP_WITH_CONTENT.has(node.tagName)) return false;
    prune(node);
    // parse5's serializer does not double a <pre>'s leading newline, so the next parse would drop it.
    const first = node.childNodes[0];
    if (node.tagName === "pre" && first?.nodeName === "#text" && (first as T.TextNode).value.startsWith("\n")) {
      (first as T.TextNode).value = `\n${(first as T.TextNode).value}`;
    }
    return true;
  });
}

/**
 * Attribute values pass through with only `"`, `<` and `>` escaped: "&" is
 * left alone, so parse5 decodes character references exactly as a browser
 * would, and the URL policy then judges the decoded value.
 */
const keepValue = (_tag: string, _name: string, value: string) =>
  value.replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const FilterXSS = (xss as unknown as { FilterXSS: typeof FilterXSSClass }).FilterXSS;
const filter = new FilterXSS({
  whiteList: ALLOWED as Record<string, string[]>,
  stripIgnoreTag: true,
  allowCommentTag: false,
  safeAttrValue: keepValue,
  css: false,
});

function serialize(nodes: readonly T.ChildNode[], base: string): string {
  let html = "";
  for (const node of nodes) {
    if (node.nodeName === "#text") {
      html += escapeText(cleanText((node as T.TextNode).value));
      continue;
    }
    if (!("tagName" in node)) continue; // comments, doctypes: never kept
    const el = node as T.Element;
    // parse5 puts <svg>/<math> content in foreign namespaces; only HTML elements are ours.
    if (el.namespaceURI !== HTML_NS || !(el.tagName in ALLOWED)) continue;
    const attrs = cleanAttributes(el.tagName, el.attrs, base);
    if (el.tagName === "img" && !attrs.some((a) => a.name === "src")) continue;
    html += startTag(el.tagName, attrs);
    if (VOID.has(el.tagName)) continue;
    let inner = serialize(el.childNodes, base);
    // A newline right after <pre> is dropped by parsers: keep a leading one by doubling it.
    if (el.tagName === "pre" && inner.startsWith("\n")) inner = `\n${inner}`;
    html += `${inner}</${el.tagName}>`;
  }
  return html;
}

/** A <template>'s content is a fragment of its own: the element it belongs to, to keep counting through it. */
const templateOf = new WeakMap<T.ParentNode, T.Element>();

/** Elements above `node`, itself included (through template contents); stops counting past `limit`. */
function elementDepth(node: T.ParentNode | null, limit: number): number {
  let depth = 0;
  let n: T.ParentNode | null | undefined = node;
  while (n && depth <= limit) {
    if ("tagName" in n) {
      depth++;
      n = n.parentNode;
    } else n = templateOf.get(n);
  }
  return depth;
}

/**
 * parse5's tree builder, refusing to nest an element deeper than the limit
 * while it builds: each start tag makes it search the open elements, so deep
 * nesting is quadratic for the parser itself, and the tree walks below recurse.
 * The fragment parser's own root <html> is one level more.
 */
const boundedAdapter: typeof defaultTreeAdapter = {
  ...defaultTreeAdapter,
  appendChild(parent, node) {
    if ("tagName" in node && elementDepth(parent, RENDER_LIMITS.maxDepth + 1) > RENDER_LIMITS.maxDepth) throw tooDeep();
    defaultTreeAdapter.appendChild(parent, node);
  },
  setTemplateContent(template, content) {
    templateOf.set(content, template);
    defaultTreeAdapter.setTemplateContent(template, content);
  },
  insertBefore(parent, node, reference) {
    if ("tagName" in node && elementDepth(parent, RENDER_LIMITS.maxDepth + 1) > RENDER_LIMITS.maxDepth) throw tooDeep();
    defaultTreeAdapter.insertBefore(parent, node, reference);
  },
};

/** Parses as a browser would, refusing trees deeper than RENDER_LIMITS.maxDepth (checked again on the finished tree: the adoption agency moves nodes). */
function parseBounded(html: string): T.DocumentFragment {
  const fragment = parseFragment(html, { treeAdapter: boundedAdapter });
  const stack: [T.ParentNode, number][] = [[fragment, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    for (const child of node.childNodes) {
      if (!("tagName" in child)) continue;
      if (depth + 1 > RENDER_LIMITS.maxDepth) throw tooDeep();
      stack.push([child, depth + 1]);
    }
  }
  return fragment;
}

/**
 * Safe, balanced HTML with absolute http(s)/mailto URLs; `base` is the
 * article's URL. Throws RenderLimitError for trees nested deeper than
 * RENDER_LIMITS.maxDepth, so the recursive walks here never meet one.
 */
export function sanitizeHtml(html: string, base: string): string {
  // xss filters the tree a browser would build (an unclosed <script> swallows
  // the rest, <noscript> is raw text), not its own reading of the raw text.
  const tree = parseBounded(html);
  prune(tree);
  const filtered = filter.process(serializeTree(tree));
  return serialize(parseBounded(filtered).childNodes, base);
}
