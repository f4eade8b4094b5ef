/**
 * The package's compiled app (dist/, as a user installs it) served by Bun
 * (`Bun.serve`) or Deno (`Deno.serve`), whichever runs this file: the
 * records, withdrawals and change stamps of ITEMS_DIR, in memory as the
 * Worker bundles them (`bundleApp` of wirefeed/worker), for the identity
 * test against Node. Prints "listening on http://127.0.0.1:<port>".
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSiteConfig } from "../../dist/package/index.js";
import { bundleApp } from "../../dist/package/worker.js";

const env = (name) => (typeof Deno !== "undefined" ? Deno.env.get(name) : process.env[name]);
const items = env("ITEMS_DIR");
const rawConfig = JSON.parse(readFileSync(env("WIREFEED_CONFIG") ?? "site.config.json", "utf8"));
const site = parseSiteConfig(rawConfig, "site.config.json", env("SITE_URL") || undefined);
const names = readdirSync(items).filter((n) => n.endsWith(".md") && !n.startsWith(".")).sort();
const optional = (name) => (existsSync(join(items, name)) ? readFileSync(join(items, name), "utf8") : undefined);
const tombstones = optional(".tombstones.json");
const stamps = optional(".changes.json");
const data = {
  buildId: "other-runtime",
  version: "other-runtime",
  siteConfig: rawConfig,
  records: Object.fromEntries(names.map((n) => [n, readFileSync(join(items, n), "utf8")])),
  problems: [],
  ...(tombstones ? { tombstones: JSON.parse(tombstones) } : {}),
  ...(stamps ? { stamps } : {}),
};
const handler = bundleApp(data, site, (message, error) => console.error(message, error ?? ""));

if (typeof Deno !== "undefined") {
  Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`) }, (request) => handler(request));
} else {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request) => handler(request) });
  console.log(`listening on http://127.0.0.1:${server.port}`);
}
