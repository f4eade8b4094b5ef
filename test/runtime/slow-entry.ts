/**
 * Test entry point: the production app, listener and graceful shutdown, over
 * a catalog whose article loads take SLOW_MS (as a remote store's might), so
 * a request can be in flight when SIGTERM arrives. Nothing in src/ knows.
 */
import type { Catalog } from "../../src/core/catalog.js";
import { createApp } from "../../src/http/app.js";
import { listen } from "../../src/runtime/node-site.js";
import { gracefulShutdown } from "../../src/runtime/shutdown.js";
import { catalogOf, record, testSite } from "../support/fixtures.js";

const slowMs = Number(process.env.SLOW_MS ?? 1500);
const site = testSite();
// A long article, so its page is more than a few TCP segments.
const inner = catalogOf({ "slow.md": record({ title: "Slow", published: "2022-06-29T10:00:00+09:00" }, "Paragraph of text. ".repeat(20_000)) }, site);
const catalog: Catalog = {
  ...inner,
  find: (slug) => inner.find(slug),
  load: async (entry) => {
    await new Promise((resolve) => setTimeout(resolve, slowMs));
    return inner.load(entry);
  },
};
const app = createApp({ site, catalog: () => catalog, log: (m, e) => console.error(m, e ?? "") });
const server = await listen(app.fetch, 0, "127.0.0.1");
const address = server.address();
console.log(`slow entry on http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
gracefulShutdown(server, { timeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000), log: (m) => console.log(m) });
