import { defineConfig } from "vite";

/** The browser client: one page in client/, built into dist/client where the server serves it. */
export default defineConfig({
  root: "client",
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      // `vite dev` on :5173 talks to the game server on :2567 (npm run dev).
      "/api": "http://localhost:2567",
      "/healthz": "http://localhost:2567",
      "/colyseus": {
        target: "http://localhost:2567",
        ws: true,
        rewrite: (path) => path.replace(/^\/colyseus/, ""),
      },
    },
  },
});
