import type { Article } from "../../src/core/article.js";
import { buildCatalog, type Catalog } from "../../src/core/catalog.js";
import { parseSiteConfig, type SiteConfig } from "../../src/core/config.js";
import { parseRecord } from "../../src/core/record.js";

/** The test site as site.config.json would hold it (the CLI tests write exactly this). */
export const TEST_SITE_CONFIG = {
  title: "Test Wire",
  description: "Stories for tests",
  baseUrl: "https://news.example/",
  idDomain: "news.example",
  author: { name: "Test Desk", email: "desk@news.example" },
  language: "en",
  timeZone: "Asia/Tokyo",
  feedSize: 50,
  cacheMinutes: 5,
};

export function testSite(overrides: Record<string, unknown> = {}): SiteConfig {
  return parseSiteConfig({ ...TEST_SITE_CONFIG, ...overrides }, "test-config");
}

/** Writes a record file from front-matter lines and a body. */
export function record(fields: Record<string, unknown>, body = "Body text."): string {
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n");
  return `---\n${yaml}\n---\n\n${body}\n`;
}

export function article(slug: string, fields: Record<string, unknown>, body?: string, site = testSite()): Article {
  const result = parseRecord(`items/${slug}.md`, record({ published: "2022-06-29T09:00:00+09:00", ...fields }, body), site);
  if (!result.ok || !("article" in result)) throw new Error(`fixture ${slug} invalid: ${JSON.stringify(result)}`);
  return result.article;
}

export function catalogOf(records: Record<string, string>, site = testSite()): Catalog {
  const encoder = new TextEncoder();
  return buildCatalog(
    Object.entries(records).map(([name, text]) => ({ file: `items/${name}`, bytes: encoder.encode(text) })),
    site,
  );
}
