import type { MiddlewareHandler } from "hono";
import type { SiteConfig } from "../core/config.js";

/**
 * Content-Security-Policy for our HTML pages. They have no script, no inline
 * style and no forms: the only things a page loads are the site stylesheet
 * (always linked from the base URL, which may be another origin than the one
 * serving, e.g. behind a proxy), article images and audio enclosures, which
 * may live on any http(s) host (audio only when the reader presses play:
 * preload="none"). The one <script> an article page has is JSON-LD, data a
 * browser never runs, so script-src stays 'none'. Everything else is
 * refused, including framing by others.
 */
export function contentSecurityPolicy(site: SiteConfig): string {
  const styleOrigin = new URL(site.baseUrl).origin;
  return [
    "default-src 'none'",
    `style-src ${styleOrigin}`,
    "img-src http: https:",
    "media-src http: https:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The security headers a response gets, from its status and Content-Type:
 * every body gets nosniff; HTML also gets CSP and a referrer policy. A 304
 * has no body to sniff or render; it only refreshes the stored response.
 * Shared by the middleware and the Node fast path, so both send the same.
 */
export function securityHeadersFor(csp: string, status: number, contentType: string | null | undefined): [string, string][] {
  if (status === 304) return [];
  const out: [string, string][] = [["X-Content-Type-Options", "nosniff"]];
  if (contentType?.startsWith("text/html")) {
    out.push(["Content-Security-Policy", csp]);
    // Links out carry only our origin, and nothing when leaving https for http.
    out.push(["Referrer-Policy", "strict-origin-when-cross-origin"]);
  }
  return out;
}

/** Added to every response with a body; HTML also gets CSP and a referrer policy. */
export function securityHeaders(site: SiteConfig): MiddlewareHandler {
  const csp = contentSecurityPolicy(site);
  return async (c, next) => {
    await next();
    for (const [name, value] of securityHeadersFor(csp, c.res.status, c.res.headers.get("content-type"))) c.res.headers.set(name, value);
  };
}
