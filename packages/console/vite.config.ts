import { defineConfig } from 'vite';

// `npm run dev -w @mirrorwatch/console` serves the console with hot reload and forwards the API
// to the alerts service of `npm start`.
export default defineConfig({
  base: '/console/',
  // Workspace packages are bundled from their TypeScript sources (no build of theirs needed first).
  resolve: { conditions: ['source', 'module', 'browser', 'development|production'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The alerts service sends a strict Content-Security-Policy; no inline scripts or styles.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/v1': { target: process.env.ALERTS_URL ?? 'http://127.0.0.1:8082', changeOrigin: false } },
  },
});
