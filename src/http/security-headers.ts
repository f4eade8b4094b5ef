import type { MiddlewareHandler } from "hono";
import type { SiteConfig } from "../core/config.js";

/**
 * Content-Security-Policy for our HTML pages. They have no script, no inline
 * style and no forms: the only things a page loads are the site stylesheet
 * (always linked from the base URL, which may be another origin than the one
 * serving, e.g. behind a proxy) and article images, which may live on any
 * http(s) host. Everything else is refused, including framing by others.
 */
export function contentSecurityPolicy(site: SiteConfig): string {
  const styleOrigin = new URL(site.baseUrl).origin;
  return [
    "default-src 'none'",
    `style-src ${styleOrigin}`,
    "img-src http: https:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Added to every response with a body; HTML also gets CSP and a referrer policy. */
export function securityHeaders(site: SiteConfig): MiddlewareHandler {
  const csp = contentSecurityPolicy(site);
  return async (c, next) => {
    await next();
    // A 304 has no body to sniff or render; it only refreshes the stored response, which has them.
    if (c.res.status === 304) return;
    const headers = c.res.headers;
    headers.set("X-Content-Type-Options", "nosniff");
    if (headers.get("content-type")?.startsWith("text/html")) {
      headers.set("Content-Security-Policy", csp);
      // Links out carry only our origin, and nothing when leaving https for http.
      headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    }
  };
}
