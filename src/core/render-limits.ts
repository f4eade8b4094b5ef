/**
 * The bounds a record body is rendered within. Every limit is counted, not
 * timed, so a body is accepted or refused the same way on every machine and
 * runtime (a clock would make the same record pass on a fast host and fail on
 * a slow one, and the stores' bytes differ).
 */
export const RENDER_LIMITS = {
  /**
   * Elements nested inside one another in the rendered body: quotes, lists
   * and list items, emphasis, links, and HTML written in the body. Deeper
   * bodies are refused before anything recursive walks them.
   */
  maxDepth: 64,
  /**
   * Delimiters visited by emphasis and strikethrough openers looking for
   * their closer, summed over the body. Ordinary articles visit a few per
   * emphasis; a paragraph of thousands of `*a ` with one closer at the end
   * visits millions (each opener searches to the end).
   */
  maxCloserSearch: 250_000,
  /**
   * Characters scanned for inline link destinations, summed over the body:
   * each "[" that might start a link is charged the distance to the next
   * white space. Ordinary text: a word per link; a long stretch without
   * white space full of "[a](" needs billions.
   */
  maxLinkScan: 16 * 1024 * 1024,
  /** Cells of one table, counting the empty ones a short row is padded with. */
  maxTableCells: 100_000,
  /** Characters of rendered HTML, before sanitizing: reference links repeated many times multiply their URL. */
  maxHtmlChars: 4 * 1024 * 1024,
} as const;

/** A body that cannot be rendered within RENDER_LIMITS; `offset` is where in the Markdown, when known. */
export class RenderLimitError extends Error {
  override readonly name = "RenderLimitError";
  constructor(
    readonly problem: string,
    readonly offset?: number,
  ) {
    super(problem);
  }
}

/** A body nested deeper than RENDER_LIMITS.maxDepth: the one message, wherever the depth is counted (lexer, tree builder, marked-html.ts). */
export const tooDeep = (): RenderLimitError =>
  new RenderLimitError(`nests deeper than ${RENDER_LIMITS.maxDepth} levels (quotes, lists, emphasis, links or HTML elements inside one another)`);
