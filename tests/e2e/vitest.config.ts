import { defineConfig } from "vitest/config";

/**
 * The browser end-to-end tests on their own: `vitest run --config tests/e2e/vitest.config.ts`.
 * One file at a time — each starts a server (process-global context) and a Chromium.
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    // Each step waits on the page (harness WAIT_MS); these only end a run that is stuck, on a machine
    // as loaded as it may be (another build, another test run beside it).
    testTimeout: 900_000,
    hookTimeout: 600_000,
  },
});
