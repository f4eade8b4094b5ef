/**
 * The one SHA-256 helper for content versions, build ids and edge-cache
 * keys. Web Crypto only (Node 20+ and workerd both have it), so it runs in
 * every runtime and in the build scripts alike.
 */
import type { SiteConfig } from "./config.js";

const encoder = new TextEncoder();

/** SHA-256 of text (as UTF-8) or bytes, as lower-case hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every answer depends on the whole site config (URLs, ids, defaults, time zone), so all of it is fingerprinted. */
export function siteFingerprint(site: SiteConfig): Promise<string> {
  return sha256Hex(JSON.stringify(site));
}
