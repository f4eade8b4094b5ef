/**
 * Inside workerd: a broken record never stops the Worker. The bundled Worker
 * serves the records its build kept and logs the ones it left out (the build
 * hands their problems over).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import bundleData from "../../.generated/worker-data.js";
import { workerEntry } from "../../src/runtime/worker-site.js";

const PROBLEM = "items/no-title.md: title: is required";
let logged: string[] = [];

beforeEach(() => {
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

});
