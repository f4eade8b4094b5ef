/**
 * The tests that run inside workerd (test/worker/): the bundled Worker entry
 * and its edge cache, with the settings of wrangler.toml's top level.
 */
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./src/runtime/worker.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { SITE_URL: "https://wire.example/" },
        // No fetch of Cloudflare's request.cf data: tests stay offline.
        cf: false,
      },
    }),
  ],
  test: {
    include: ["test/worker/**/*.test.ts"],
    testTimeout: 20_000,
    reporters: process.env.VITEST_JSON_DIR ? ["default", ["json", { outputFile: `${process.env.VITEST_JSON_DIR}/workerd.json` }]] : ["default"],
  },
});
