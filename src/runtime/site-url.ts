/**
 * Which base URL the Node server builds its links from, given what it
 * listens on. A loopback baseUrl in the config (the bundled
 * `http://localhost:3000/`) means "this machine": with SITE_URL unset, its
 * port (and, when bound to one address, its host) follow the listening
 * socket, so `PORT=41106 npm start` links to 41106. Any other base URL is
 * used as given; when it is a loopback URL that the socket does not serve,
 * every link and the stylesheet point elsewhere, which is worth a loud warning.
 */

export interface Bound {
  /** The socket's address as Node reports it ("127.0.0.1", "::", "0.0.0.0", ...). */
  address: string;
  port: number;
}

const WILDCARD = new Set(["0.0.0.0", "::", ""]);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === "::ffff:127.0.0.1";
}

const defaultPort = (url: URL) => url.port || (url.protocol === "https:" ? "443" : "80");
const hostOf = (address: string) => (address.includes(":") ? `[${address}]` : address);

/** The config's loopback base URL moved onto the socket; undefined when the config's base is not loopback http. */
export function followSocket(configuredBase: string, bound: Bound): string | undefined {
  const url = new URL(configuredBase);
  if (url.protocol !== "http:" || !isLoopbackHost(url.hostname)) return undefined;
  if (!WILDCARD.has(bound.address)) url.hostname = hostOf(bound.address);
  url.port = String(bound.port);
  return url.href;
}

/** Why links built from `baseUrl` would not reach this server, or undefined when they would (or cannot be told). */
export function socketMismatch(baseUrl: string, bound: Bound): string | undefined {
  const url = new URL(baseUrl);
  // A public URL is normally a proxy's: nothing here can tell whether it forwards to this socket.
  if (!isLoopbackHost(url.hostname)) return undefined;
  const problems: string[] = [];
  if (defaultPort(url) !== String(bound.port)) problems.push(`port ${defaultPort(url)}, but the server listens on ${bound.port}`);
  if (!WILDCARD.has(bound.address) && !isLoopbackHost(bound.address)) problems.push(`a loopback host, but the server listens on ${bound.address} only`);
  if (problems.length === 0) return undefined;
  return `WARNING: links, the stylesheet and the CSP use ${url.href}: ${problems.join("; ")}. Pages will look unstyled and links will not reach this server; set SITE_URL to the URL clients use`;
}
