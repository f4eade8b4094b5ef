/**
 * The sitemap protocol's published schemas, checked with libxml2 (xmllint):
 * sitemap.xsd (sitemaps.org) and Google's sitemap-news.xsd, both as shipped
 * in the `sitemap` package at 4.0.2 (devDependency alias `sitemap-xsd`).
 * The sitemap index schema (siteindex.xsd) ships in no registry package and
 * sitemaps.org is out of reach here, so an index is checked for the shape
 * that schema requires (strict parse, namespace, each <sitemap> one <loc>).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { parseXml } from "./xml.js";

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";
const schemaDir = join(dirname(createRequire(import.meta.url).resolve("sitemap-xsd/package.json")), "schema");

let combined: string | undefined;
/** A schema of our own that only imports the two published ones, so a urlset with news:news elements is checked against both. */
function newsSchema(): string {
  if (!combined) {
    combined = join(mkdtempSync(join(tmpdir(), "wirefeed-xsd-")), "sitemap-with-news.xsd");
    const location = (file: string) => pathToFileURL(join(schemaDir, file)).href;
    writeFileSync(
      combined,
      `<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n` +
        `<xsd:import namespace="${SITEMAP_NS}" schemaLocation="${location("sitemap.xsd")}"/>\n` +
        `<xsd:import namespace="${NEWS_NS}" schemaLocation="${location("sitemap-news.xsd")}"/>\n</xsd:schema>\n`,
    );
  }
  return combined;
}

function xmllintSchema(xml: string, schema: string): void {
  try {
    execFileSync("xmllint", ["--noout", "--nonet", "--schema", schema, "-"], { input: xml, stdio: ["pipe", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`not valid against ${schema}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

/** Throws unless the document is a valid sitemap of that kind. */
export function validateSitemap(xml: string, kind: "urlset" | "news" | "sitemapindex"): void {
  if (kind === "urlset") return xmllintSchema(xml, join(schemaDir, "sitemap.xsd"));
  if (kind === "news") return xmllintSchema(xml, newsSchema());
  const root = parseXml(xml);
  expect([root.local, root.uri]).toEqual(["sitemapindex", SITEMAP_NS]);
  expect(root.children.length).toBeGreaterThan(0);
  for (const sitemap of root.children) {
    expect([sitemap.local, sitemap.uri, sitemap.children.map((c) => c.local)]).toEqual(["sitemap", SITEMAP_NS, ["loc"]]);
    expect(() => new URL(sitemap.children[0]!.text)).not.toThrow();
  }
}
