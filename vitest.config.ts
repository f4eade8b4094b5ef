import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/worker runs inside workerd: vitest.worker.config.ts.
    exclude: ["test/worker/**", "**/node_modules/**"],
    testTimeout: 20_000,
    pool: "forks",
    // CI also writes a machine-readable summary, which .ci/run totals into one plain line.
    reporters: process.env.VITEST_JSON_DIR ? ["default", ["json", { outputFile: `${process.env.VITEST_JSON_DIR}/node.json` }]] : ["default"],
  },
});
