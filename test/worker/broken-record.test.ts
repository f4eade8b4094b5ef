/**
 * Inside workerd: a broken record never stops the Worker. The bundled Worker
 * serves the records its build kept and logs the ones it left out (the build
 * hands their problems over); the KV Worker leaves out a record indexed with
 * errors, serves the others and logs it.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import kvData from "../../.generated/worker-kv-data.js";
import { parseSiteConfig } from "../../src/core/config.js";
import { workerEntry } from "../../src/runtime/worker-site.js";
import { kvStore } from "../../src/storage/kv.js";
import { record } from "../support/fixtures.js";
import { clearKv, enc } from "./support.js";

const PROBLEM = "items/no-title.md: title: is required";
let logged: string[] = [];

beforeEach(async () => {
  await clearKv(env.ARTICLES);
  logged = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ").trim()));
});
afterEach(() => vi.restoreAllMocks());

describe("a broken record in workerd", () => {
  it("the bundled Worker serves what the build kept and logs what it left out, once per isolate", async () => {
    const worker = workerEntry({ ...bundleData, problems: [PROBLEM] });
    // One env object, as an isolate has: the site is built once for it.
    const bindings = { SITE_URL: env.SITE_URL };
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request("https://wire.example/rss.xml"), bindings, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(200);
      expect((await response.text()).match(/<item>/g)).toHaveLength(Object.keys(bundleData.records).length);
    }
    expect(logged.filter((l) => l === `skipped record: ${PROBLEM}`)).toHaveLength(1);
  });

  it("the KV Worker leaves out a record indexed with errors, serves the others and logs it", async () => {
    const site = parseSiteConfig(kvData.siteConfig, "site.config.json", env.SITE_URL);
    const store = kvStore(env.ARTICLES, site);
    await store.write("harbour.md", enc(record({ title: "Harbour reopens", published: "2022-06-29T09:00:00+09:00" })));
    await store.write("no-title.md", enc(record({ published: "2022-06-29" })));
    const response = await exports.default.fetch("https://wire.example/");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Harbour reopens");
    expect(logged).toContain(`skipped record: ${PROBLEM}`);
  });
});
