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
import { RENDER_LIMITS, RenderLimitError } from "./render-limits.js";
import { stripForbiddenXmlChars } from "./text.js";

/** Elements and their attributes: what Markdown produces, within the W3C feed validator's acceptable HTML. */
const ALLOWED: Record<string, readonly string[]> = {
  a: ["href", "title"],
  abbr: ["title"],
  b: [],
  blockquote: ["cite"],
  br: [],
  code: ["class"],
  del: ["cite", "datetime"],
  div: [],
  em: [],
  figcaption: [],
  figure: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  hr: [],
  i: [],
  img: ["src", "alt", "title", "width", "height"],
  ins: ["cite", "datetime"],
  kbd: [],
  li: [],
  ol: ["start"],
  p: [],
  pre: [],
  q: ["cite"],
  s: [],
  small: [],
  span: [],
  strong: [],
  sub: [],
  sup: [],
  table: [],
  tbody: [],
  td: ["align", "colspan", "rowspan"],
  tfoot: [],
  th: ["align", "colspan", "rowspan", "scope"],
  thead: [],
  time: ["datetime"],
  tr: [],
  u: [],
  ul: [],
};

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

const VOID = new Set(["br", "hr", "img"]);
const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);
/** Schemes allowed per attribute; anything else loses the attribute. */
const SCHEMES: Record<string, readonly string[]> = {
  href: ["http:", "https:", "mailto:"],
  src: ["http:", "https:"],
  cite: ["http:", "https:"],
};
const NUMBER_ATTRIBUTES = new Set(["width", "height", "colspan", "rowspan", "start"]);

/** Character references can bring back what text hygiene removed (e.g. "&#1;"): remove it again. */
const cleanText = stripForbiddenXmlChars;

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

/** Resolves against the article's URL; undefined unless the result uses an allowed scheme. */
function safeUrl(value: string, attribute: string, base: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  let url: URL;
  try {
    url = trimmed.startsWith("#") ? new URL(base + trimmed) : new URL(trimmed, base);
  } catch {
    return undefined;
  }
  return SCHEMES[attribute]!.includes(url.protocol) ? url.href : undefined;
}

function cleanAttributes(el: T.Element, base: string): { name: string; value: string }[] {
  const allowed = ALLOWED[el.tagName] ?? [];
  const out: { name: string; value: string }[] = [];
  for (const { name, value } of el.attrs) {
    if (!allowed.includes(name)) continue;
    let clean: string | undefined = cleanText(value);
    if (URL_ATTRIBUTES.has(name)) clean = safeUrl(clean, name, base);
    else if (NUMBER_ATTRIBUTES.has(name)) clean = /^\d{1,6}$/.test(clean.trim()) ? clean.trim() : undefined;
    else if (name === "class") clean = /^language-[A-Za-z0-9_+#.-]{1,40}$/.test(clean) ? clean : undefined;
    else if (name === "align") clean = /^(left|right|center|justify)$/i.test(clean) ? clean.toLowerCase() : undefined;
    if (clean !== undefined) out.push({ name, value: clean });
  }
  return out;
}

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00A0/g, "&nbsp;");
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, "&quot;");

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
    const attrs = cleanAttributes(el, base);
    if (el.tagName === "img" && !attrs.some((a) => a.name === "src")) continue;
    html += `<${el.tagName}${attrs.map((a) => ` ${a.name}="${escapeAttr(a.value)}"`).join("")}>`;
    if (VOID.has(el.tagName)) continue;
    let inner = serialize(el.childNodes, base);
    // A newline right after <pre> is dropped by parsers: keep a leading one by doubling it.
    if (el.tagName === "pre" && inner.startsWith("\n")) inner = `\n${inner}`;
    html += `${inner}</${el.tagName}>`;
  }
  return html;
}

const tooDeep = () =>
  new RenderLimitError(`nests deeper than ${RENDER_LIMITS.maxDepth} levels (quotes, lists, emphasis, links or HTML elements inside one another)`);

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
