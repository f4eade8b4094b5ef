import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/worker runs inside workerd: vitest.worker.config.ts.
    exclude: ["test/worker/**", "**/node_modules/**"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
