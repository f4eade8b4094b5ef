/** Namespaces we add to what `feed` declares (each one the W3C validator knows). */
export const NS = {
  atom: "http://www.w3.org/2005/Atom",
  media: "http://search.yahoo.com/mrss/",
  dcterms: "http://purl.org/dc/terms/",
  dc: "http://purl.org/dc/elements/1.1/",
  fh: "http://purl.org/syndication/history/1.0",
  at: "http://purl.org/atompub/tombstones/1.0",
} as const;

/** Adds namespace declarations to a root start tag that `feed` wrote (e.g. `<rss version="2.0"`). */
export function declareNamespaces(xml: string, rootStart: string, prefixes: (keyof typeof NS)[]): string {
  if (!xml.includes(rootStart)) throw new Error(`unexpected root element: no ${rootStart}`);
  const decls = prefixes.map((p) => ` xmlns:${p}="${NS[p]}"`).join("");
  return xml.replace(rootStart, rootStart + decls);
}
