import { readFile } from "node:fs/promises";
import { parseSiteConfig, type SiteConfig } from "../core/config.js";

/** site.config.json read and validated (SITE_URL, when given, overriding its baseUrl). Its own file: the CLI needs it without the server. */
export async function loadSiteConfig(configPath: string, siteUrl?: string): Promise<SiteConfig> {
  const text = await readFile(configPath, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${configPath}: not valid JSON: ${(error as Error).message}`);
  }
  return parseSiteConfig(raw, configPath, siteUrl);
}
