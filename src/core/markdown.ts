import { Lexer, Parser, Renderer, Tokenizer, getDefaults, type MarkedOptions, type Token, type Tokens } from "marked";
import { RENDER_LIMITS, RenderLimitError, tooDeep } from "./render-limits.js";
import { sanitizeMarkedHtml } from "./marked-html.js";
import { sanitizeHtml } from "./sanitize.js";
import { collapseWhitespace, decodeEntities, stripForbiddenXmlChars } from "./text.js";

/** Link targets in feeds must be absolute: a feed reader has no base URL to resolve against. */
function absolutise(href: string, base: string): string {
  if (href.startsWith("#")) return base + href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** Task-list boxes as characters: form controls are not allowed in feeds or pages. */
class FeedRenderer extends Renderer {
  override checkbox({ checked }: Tokens.Checkbox): string {
    return checked ? "\u2611 " : "\u2610 ";
  }
}

/**
 * The GFM text rule stops before a possible e-mail address by looking ahead
 * over the whole run of address characters for an "@". Every text step in a
 * run like `_a_a_a…` repeats that look-ahead over the rest of the run, which
 * is quadratic. Local parts are at most 64 characters (RFC 5321); 256 keeps
 * every real address and makes the look-ahead constant.
 */
const EMAIL_RUN = "[a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]";
const gfmInline = (Lexer.rules.inline as unknown as { gfm: Record<string, RegExp> }).gfm;
const boundedText = new RegExp(gfmInline.text!.source.split(`${EMAIL_RUN}+@`).join(`${EMAIL_RUN}{1,256}@`), gfmInline.text!.flags);
/**
 * The text rule for a body without "@": the same rule less its two e-mail
 * look-aheads, which need an "@" to succeed and so never do there; on such
 * a body it matches exactly what boundedText matches, without looking
 * ahead over every word (a third of lexing an article). Falls back to
 * boundedText should marked's rule ever be written differently.
 */
const NOT_EMAIL_CHAR = "[^a-zA-Z0-9.!#$%&'*+\\/=?_`{\\|}~-]";
const EMAIL_AHEAD = `(?=${EMAIL_RUN}{1,256}@)`;
const textSansEmail = boundedText.source.split(`|${NOT_EMAIL_CHAR}${EMAIL_AHEAD}`).join("").split(`|${EMAIL_AHEAD}`).join("");
const textWithoutAddresses = textSansEmail.includes("@") ? boundedText : new RegExp(textSansEmail, boundedText.flags);
/** Both text rules, for the test that holds them to the same matches (test/core/markdown-text-rule.test.ts). */
export const TEXT_RULES = { withAddresses: boundedText, withoutAddresses: textWithoutAddresses } as const;
/** The same for the GFM e-mail autolink itself, tried at every inline step: its local part is matched up to 256 characters. */
const boundedUrl = new RegExp(gfmInline.url!.source.split("[A-Za-z0-9._+-]+(@)").join("[A-Za-z0-9._+-]{1,256}(@)"), gfmInline.url!.flags);

/**
 * A closer search of emphasis or strikethrough visits the delimiters after
 * its opener one `exec` at a time: counting the calls counts that work
 * exactly. A paragraph of openers that never pair (`*a *a *a … a*`) costs
 * the square of their number; the budget stops it after a bounded amount.
 */
class MeteredRegExp extends RegExp {
  override exec(text: string): RegExpExecArray | null {
    activeMeter();
    return super.exec(text);
  }
}

/** The meter of the body being lexed (rendering is synchronous: one body at a time), charged by the shared MeteredRegExps. */
let activeMeter: () => void = () => {};

/** The GFM closer searches (the rules a gfm lexer uses), metered: made once, not three patterns compiled per body. */
const metered = (rule: RegExp) => new MeteredRegExp(rule.source, rule.flags);
const meteredClosers = {
  emStrongRDelimAst: metered(gfmInline.emStrongRDelimAst!),
  emStrongRDelimUnd: metered(gfmInline.emStrongRDelimUnd!),
  delRDelim: metered(gfmInline.delRDelim!),
};

/**
 * Whether `src` is what is left of `run` (marked's inline loop hands each
 * tokenizer the rest of the run it was given). Checked on a bounded prefix
 * and the last character, not with endsWith: comparing the whole rest at
 * every "[" made a run of links quadratic (20,000 links: 4 s on Node 20,
 * 21 s on Node 24).
 */
function isTailOf(src: string, run: string): boolean {
  const at = run.length - src.length;
  return at >= 0 && run.charCodeAt(run.length - 1) === src.charCodeAt(src.length - 1) && run.startsWith(src.slice(0, 64), at);
}

/** Refuses tables that would pad out to more cells than RENDER_LIMITS allows, and meters the closer search of emphasis. */
class BoundedTokenizer extends Tokenizer {
  private closerSearch = 0;
  /** Where in the body the current inline run starts, for the error's line (set by boundedLexer). */
  run = "";

  readonly meter = (): void => {
    if (++this.closerSearch > RENDER_LIMITS.maxCloserSearch) {
      throw new RenderLimitError(
        `needs more than the render budget (${RENDER_LIMITS.maxCloserSearch} delimiters visited looking for closing *, _ or ~): escape unmatched ones as \\*, \\_ or \\~, or split the paragraph`,
        offsetHint(this.run),
      );
    }
  };

  private hrefScan = 0;
  /** The current run's next white space at or after `at` (a link destination cannot cross one); moves forward only. */
  private cursor = { run: "", at: 0, space: 0, open: 0, close: 0 };

  /**
   * A link's text is scanned to its "]" and its destination to the next
   * white space, for every "[": in a long run of "[a" without "]", or a
   * stretch without white space dense with "[a](", that is quadratic. Each
   * link attempt is charged the distance to the next "]", plus to the next
   * white space when a "](" comes before it (found with cursors that only
   * move forward, so finding them is linear too).
   */
  override link(src: string): Tokens.Link | Tokens.Image | undefined {
    if (src[0] === "[" || src[0] === "!") {
      const run = isTailOf(src, this.run) ? this.run : src;
      const at = run.length - src.length;
      const c = this.cursor;
      if (c.run !== run || at < c.at) Object.assign(c, { run, at, space: -1, open: -1, close: -1 });
      c.at = at;
      if (c.space < at) {
        const m = /[ \t\n]/g;
        m.lastIndex = at;
        c.space = m.exec(run)?.index ?? run.length;
      }
      if (c.open < at) {
        const found = run.indexOf("](", at);
        c.open = found === -1 ? run.length : found;
      }
      if (c.close <= at) {
        const found = run.indexOf("]", at + 1);
        c.close = found === -1 ? run.length : found;
      }
      // The link text is scanned to its "]"; only where a destination can start ("](") before the white space is that scanned too.
      this.hrefScan += c.close - at;
      if (c.open < c.space) this.hrefScan += c.space - at;
      if (this.hrefScan > RENDER_LIMITS.maxLinkScan) {
        throw new RenderLimitError(
          `needs more than the render budget (${RENDER_LIMITS.maxLinkScan} characters scanned for link destinations): put spaces between the links, or escape unmatched [ as \\[`,
          offsetHint(this.run),
        );
      }
    }
    return super.link(src);
  }

  override table(src: string): Tokens.Table | undefined {
    const cap = this.rules.block.table.exec(src);
    // No match: marked's own table() would run the same pattern again only to return nothing.
    if (!cap) return undefined;
    const columns = (cap[1]!.match(/\|/g)?.length ?? 0) + 1;
    const rows = cap[3] ? cap[3].split("\n").length : 0;
    if (columns * (rows + 1) > RENDER_LIMITS.maxTableCells) {
      throw new RenderLimitError(`has a table of more than ${RENDER_LIMITS.maxTableCells} cells (${columns} columns × ${rows + 1} rows, short rows padded)`, offsetHint(src));
    }
    return super.table(src);
  }
}

/** Where an error's source text starts, found by the renderBody caller in the whole body (see RenderLimitError.offset). */
let currentBody = "";
function offsetHint(src: string): number | undefined {
  const at = currentBody.indexOf(src.slice(0, 200));
  return at === -1 ? undefined : at;
}

/** A marked lexer whose recursion (quotes and list items; emphasis and links) stops at RENDER_LIMITS.maxDepth. */
function boundedLexer(options: MarkedOptions, markdown: string): Lexer {
  const tokenizer = new BoundedTokenizer(options);
  const lexer = new Lexer({ ...options, tokenizer });
  const inline = tokenizer.rules.inline;
  tokenizer.rules = {
    ...tokenizer.rules,
    inline: {
      ...inline,
      // Every inline run is part of the body (marked adds no "@" of its own): none has an address if the body has no "@".
      text: markdown.includes("@") ? boundedText : textWithoutAddresses,
      url: boundedUrl,
      ...meteredClosers,
    },
  };
  activeMeter = tokenizer.meter;
  const blockTokens = lexer.blockTokens.bind(lexer) as (src: string, tokens?: Token[], clipped?: boolean) => Token[];
  const inlineTokens = lexer.inlineTokens.bind(lexer);
  let blockDepth = 0;
  let inlineDepth = 0;
  lexer.blockTokens = ((src: string, tokens?: Token[], clipped?: boolean) => {
    if (++blockDepth > RENDER_LIMITS.maxDepth) throw tooDeep();
    try {
      return blockTokens(src, tokens, clipped);
    } finally {
      blockDepth--;
    }
  }) as Lexer["blockTokens"];
  lexer.inlineTokens = (src: string, tokens?: Token[]) => {
    if (++inlineDepth > RENDER_LIMITS.maxDepth) throw tooDeep();
    const outer = tokenizer.run;
    tokenizer.run = src;
    try {
      return inlineTokens(src, tokens);
    } finally {
      tokenizer.run = outer;
      inlineDepth--;
    }
  };
  return lexer;
}

/** Every token, parents before children, without recursion (the depth is bounded, but this needs no bound) and without spreading arrays into calls (a paragraph may hold hundreds of thousands of tokens). */
function* allTokens(tokens: readonly Token[]): Generator<Token> {
  const stack: Token[] = [];
  const pushReversed = (list: readonly Token[]) => {
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
  };
  pushReversed(tokens);
  while (stack.length > 0) {
    const token = stack.pop()!;
    yield token;
    if (token.type === "table") {
      const table = token as Tokens.Table;
      const cells = [...table.header, ...table.rows.flat()];
      for (let i = cells.length - 1; i >= 0; i--) pushReversed(cells[i]!.tokens);
    } else if (token.type === "list") {
      pushReversed((token as Tokens.List).items);
    } else if ((token as Tokens.Generic).tokens) {
      pushReversed((token as Tokens.Generic).tokens as Token[]);
    }
  }
}

export interface RenderedBody {
  html: string;
  /** Plain text of the first paragraph: the default summary. */
  firstParagraph: string;
  /** Plain text of the first block that has any (heading, list item, quote…): the summary when there is no paragraph. */
  firstText: string;
}

/** Plain text of inline tokens: what a reader would see, without markup. */
function inlineText(tokens: Token[] | undefined): string {
  let out = "";
  for (const token of tokens ?? []) {
    switch (token.type) {
      case "html":
        break;
      case "br":
        out += " ";
        break;
      case "image":
        out += (token as Tokens.Image).text;
        break;
      case "codespan":
        out += (token as Tokens.Codespan).text;
        break;
      default: {
        const t = token as Tokens.Generic;
        out += t.tokens ? inlineText(t.tokens) : decodeEntities(String(t.text ?? ""));
      }
    }
  }
  return out;
}

/** Plain text as a summary: references such as "&#1;" decode to characters the text hygiene removes, so it is applied again. */
function summaryText(tokens: Token[] | undefined): string {
  return collapseWhitespace(stripForbiddenXmlChars(inlineText(tokens)));
}

/** Depth first: the first paragraph, heading or text block whose plain text is not empty. */
function firstTextOf(tokens: Token[]): string {
  for (const token of tokens) {
    if (token.type === "paragraph" || token.type === "heading" || token.type === "text") {
      const text = summaryText((token as Tokens.Generic).tokens ?? [token]);
      if (text) return text;
    }
    const nested = (token as Tokens.Generic).tokens ?? (token as Tokens.List).items;
    if (Array.isArray(nested) && token.type !== "paragraph" && token.type !== "heading") {
      const text = firstTextOf(nested as Token[]);
      if (text) return text;
    }
  }
  return "";
}

/** marked's rendering of a body, before sanitizing: what renderMarkdown sanitizes (exported for the test that compares its two sanitizers). */
export interface MarkedRendering {
  /** marked's HTML, links already absolute. */
  raw: string;
  tokens: Token[];
  /** Whether the body holds raw HTML (a block or an inline tag): only the full sanitizer reads that. */
  rawHtml: boolean;
}

/** Markdown → marked's HTML within RENDER_LIMITS (or a RenderLimitError), links made absolute against `base`. */
export function renderMarked(markdown: string, base: string): MarkedRendering {
  const options: MarkedOptions = { ...getDefaults(), gfm: true, renderer: new FeedRenderer() };
  currentBody = markdown;
  try {
    const tokens = boundedLexer(options, markdown).lex(markdown);
    // Reference links repeat their URL at every use: bound what the HTML will hold before building it.
    let linkChars = 0;
    const resolved = new Map<string, string>();
    let rawHtml = false;
    for (const token of allTokens(tokens)) {
      if (token.type === "html") rawHtml = true;
      if (token.type !== "link" && token.type !== "image") continue;
      const t = token as Tokens.Link | Tokens.Image;
      linkChars += t.href.length + (t.title?.length ?? 0);
      if (linkChars > RENDER_LIMITS.maxHtmlChars) {
        throw new RenderLimitError(`would render to more than ${RENDER_LIMITS.maxHtmlChars} characters of HTML (links repeat their URL)`);
      }
      let href = resolved.get(t.href);
      if (href === undefined) resolved.set(t.href, (href = absolutise(t.href, base)));
      t.href = href;
    }
    const raw = new Parser(options).parse(tokens);
    if (raw.length > RENDER_LIMITS.maxHtmlChars) {
      throw new RenderLimitError(`renders to more than ${RENDER_LIMITS.maxHtmlChars} characters of HTML`);
    }
    return { raw, tokens, rawHtml };
  } finally {
    currentBody = "";
  }
}

/**
 * Markdown body → sanitized HTML with absolute URLs (`base` is the article's
 * URL), within RENDER_LIMITS, or a RenderLimitError: never a partial result.
 * The single place article HTML is made: feeds and pages only ever see what
 * sanitizeHtml let through (no script, handlers, forms, frames, styles;
 * http(s)/mailto links only), or its fast path's identical result for
 * marked's own HTML (marked-html.ts). Record parsing calls it, so an Article
 * always carries a body that rendered.
 */
export function renderMarkdown(markdown: string, base: string): RenderedBody {
  const { raw, tokens, rawHtml } = renderMarked(markdown, base);
  const paragraph = tokens.find((t): t is Tokens.Paragraph => t.type === "paragraph");
  const html = ((rawHtml ? undefined : sanitizeMarkedHtml(raw, base)) ?? sanitizeHtml(raw, base)).trim();
  return { html, firstParagraph: summaryText(paragraph?.tokens), firstText: firstTextOf(tokens) };
}

/** The body as feeds and pages show it: rendered once, when the record was parsed. */
export function renderBody(article: { rendered: RenderedBody }): RenderedBody {
  return article.rendered;
}

/**
 * The summary a feed shows: the record's, else the body's first paragraph as
 * text, else its first text of any kind, else the title. Never empty: RSS
 * wants a description before content:encoded, and an Atom entry whose body
 * sanitizes to nothing needs a summary.
 */
export function summaryOf(article: { summary?: string; title: string; rendered: RenderedBody }): string {
  if (article.summary) return article.summary;
  const body = renderBody(article);
  return body.firstParagraph || body.firstText || article.title;
}
