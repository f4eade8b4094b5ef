import { ConfigError } from "./errors.js";
import { isValidTimeZone } from "./dates.js";
import { isLanguageTag } from "./language.js";

export interface Person {
  name: string;
  email?: string;
  url?: string;
}

/** Site metadata: everything about the publication that is not an article. */
export interface SiteConfig {
  title: string;
  description: string;
  /** Absolute base URL ending in "/"; every link in every feed and page is built from it. */
  baseUrl: string;
  /** Authority of the `tag:` ids (RFC 4151): fixed, so ids survive a change of host or scheme. */
  idDomain: string;
  /** Date part of the feeds' own `tag:` ids (RFC 4151: a day `idDomain` was yours), "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
  idDate: string;
  /** `url`, when given, is absolute: a relative one in the file is resolved against `baseUrl` (so SITE_URL moves it too). */
  author: Person;
  language: string;
  timeZone: string;
  copyright?: string;
  /** How many articles a feed carries. */
  feedSize: number;
  /** Upper bound of `?limit=N` on feeds (at least feedSize). */
  maxLimit: number;
  /** Articles per RFC 5005 archive page (at most feedSize, so archives and feed cover everything). */
  archivePageSize: number;
  /** WebSub hub (W3C WebSub) advertised in feeds and pinged on every publish; absent: none. */
  websubHub?: string;
  /** Feed order: by first publication (default), or by latest change so corrections move up. */
  orderBy: "published" | "updated";
  /**
   * Minutes clients and caches may reuse a response: RSS <ttl> is this number,
   * Cache-Control max-age is the same duration in seconds.
   */
  cacheMinutes: number;
  /**
   * Off when absent. When set, a client that polls the same feed again within
   * `minIntervalSeconds` without If-None-Match or If-Modified-Since is
   * answered 429 with Retry-After. `trackedClients` bounds the memory used.
   */
  politeness?: Politeness;
}

export interface Politeness {
  minIntervalSeconds: number;
  trackedClients: number;
}

const KNOWN_KEYS = new Set([
  "title",
  "description",
  "baseUrl",
  "idDomain",
  "idDate",
  "author",
  "language",
  "timeZone",
  "copyright",
  "feedSize",
  "maxLimit",
  "archivePageSize",
  "orderBy",
  "websubHub",
  "cacheMinutes",
  "politeness",
]);

const POLITENESS_KEYS = new Set(["minIntervalSeconds", "trackedClients"]);

function parsePoliteness(value: unknown, source: string): Politeness | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(source, "politeness", "must be an object like {\"minIntervalSeconds\": 300}");
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!POLITENESS_KEYS.has(key)) throw new ConfigError(source, `politeness.${key}`, "unknown setting");
  }
  if (obj.minIntervalSeconds === undefined) throw new ConfigError(source, "politeness.minIntervalSeconds", "is required");
  return {
    minIntervalSeconds: positiveInt(obj, "minIntervalSeconds", source, 0, "politeness."),
    trackedClients: positiveInt(obj, "trackedClients", source, 10_000, "politeness."),
  };
}

/** Normalises an absolute http(s) URL to end in "/" so relative links resolve under it. */
export function normaliseBaseUrl(value: string, source: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(source, field, `"${value}" is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(source, field, `"${value}" must be an http or https URL`);
  }
  if (url.search || url.hash) throw new ConfigError(source, field, `"${value}" must not have a query or fragment`);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/** Used when the config names no `idDate`: any fixed date keeps the ids stable; a true one is better. */
const DEFAULT_ID_DATE = "2000";

function isTagDate(value: string): boolean {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return false;
  const [, y, mo = "01", d = "01"] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(`${y}-${mo}-${d}`);
}

/** An http(s) URL, relative ones taken against the site's base URL. */
function resolveAgainst(value: string, baseUrl: string, source: string): string {
  try {
    const url = new URL(value, baseUrl);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // reported below
  }
  throw new ConfigError(source, "author.url", `"${value}" is not an http(s) URL`);
}

function normaliseHubUrl(value: string, source: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // reported below
  }
  throw new ConfigError(source, "websubHub", `"${value}" is not an http(s) URL`);
}

function requireString(raw: Record<string, unknown>, key: string, source: string): string {
  const value = raw[key];
  if (typeof value !== "string" || value.trim() === "") {
    throw new ConfigError(source, key, "is required and must be a non-empty string");
  }
  return value.trim();
}

function positiveInt(raw: Record<string, unknown>, key: string, source: string, fallback: number, prefix = ""): number {
  const value = raw[key] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(source, `${prefix}${key}`, "must be a positive whole number");
  }
  return value;
}

/** Validates parsed config JSON. `baseUrlOverride` (SITE_URL) is given by the entry point, never read here. */
export function parseSiteConfig(raw: unknown, source = "site config", baseUrlOverride?: string): SiteConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, "(root)", "must be a JSON object");
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(source, key, "unknown setting");
  }
  const configuredBase = normaliseBaseUrl(requireString(obj, "baseUrl", source), source, "baseUrl");
  const baseUrl = baseUrlOverride
    ? normaliseBaseUrl(baseUrlOverride, "SITE_URL", "SITE_URL")
    : configuredBase;
  const idDomain = typeof obj.idDomain === "string" ? obj.idDomain : new URL(configuredBase).hostname;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(idDomain)) {
    throw new ConfigError(source, "idDomain", `"${idDomain}" is not a DNS name`);
  }
  const author = obj.author;
  if (typeof author !== "object" || author === null || typeof (author as Person).name !== "string") {
    throw new ConfigError(source, "author", "must be an object with a name");
  }
  const language = typeof obj.language === "string" ? obj.language : "en";
  if (!isLanguageTag(language)) throw new ConfigError(source, "language", `"${language}" is not a BCP 47 tag`);
  const timeZone = typeof obj.timeZone === "string" ? obj.timeZone : "UTC";
  if (!isValidTimeZone(timeZone)) throw new ConfigError(source, "timeZone", `"${timeZone}" is not an IANA time zone`);
  const { name, email, url: rawUrl } = author as Person;
  let url: string | undefined;
  if (rawUrl !== undefined) {
    if (typeof rawUrl !== "string") throw new ConfigError(source, "author.url", "must be a URL (absolute, or relative to baseUrl)");
    url = resolveAgainst(rawUrl, baseUrl, source);
  }
  const idDate = obj.idDate ?? DEFAULT_ID_DATE;
  if (typeof idDate !== "string" || !isTagDate(idDate)) throw new ConfigError(source, "idDate", `must be a date "YYYY", "YYYY-MM" or "YYYY-MM-DD"`);
  const feedSize = positiveInt(obj, "feedSize", source, 50);
  const maxLimit = positiveInt(obj, "maxLimit", source, Math.max(200, feedSize));
  if (maxLimit < feedSize) throw new ConfigError(source, "maxLimit", `must be at least feedSize (${feedSize})`);
  const archivePageSize = positiveInt(obj, "archivePageSize", source, feedSize);
  if (archivePageSize > feedSize) {
    throw new ConfigError(source, "archivePageSize", `must be at most feedSize (${feedSize}), or older articles would be in no document`);
  }
  const orderBy = obj.orderBy ?? "published";
  if (orderBy !== "published" && orderBy !== "updated") throw new ConfigError(source, "orderBy", 'must be "published" or "updated"');
  let websubHub: string | undefined;
  if (obj.websubHub !== undefined) {
    if (typeof obj.websubHub !== "string") throw new ConfigError(source, "websubHub", "must be a URL");
    websubHub = normaliseHubUrl(obj.websubHub, source);
  }
  return {
    title: requireString(obj, "title", source),
    description: requireString(obj, "description", source),
    baseUrl,
    idDomain: idDomain.toLowerCase(),
    idDate,
    author: { name, ...(email ? { email } : {}), ...(url ? { url } : {}) },
    language,
    timeZone,
    ...(typeof obj.copyright === "string" ? { copyright: obj.copyright } : {}),
    feedSize,
    maxLimit,
    archivePageSize,
    orderBy,
    ...(websubHub ? { websubHub } : {}),
    cacheMinutes: positiveInt(obj, "cacheMinutes", source, 5),
    ...(obj.politeness !== undefined ? { politeness: parsePoliteness(obj.politeness, source)! } : {}),
  };
}
