import { defineConfig } from "vitest/config";

/**
 * The browser end-to-end tests on their own: `vitest run --config tests/e2e/vitest.config.ts`.
 * One file at a time — each starts a server (process-global context) and a Chromium.
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 180_000,
  },
});
