/**
 * Stands in for `sax` in the Worker bundle (wrangler.toml [alias]). The
 * `feed` package writes XML with xml-js's js2xml and never parses any, but
 * xml-js pulls its parser in whole: this keeps about 8 KiB (gzip) of parser
 * out of the Worker. Anything that did parse XML through it fails loudly.
 */
export function parser(): never {
  throw new Error("XML parsing is not part of the Worker bundle (see src/runtime/no-xml-parser.ts)");
}
