import { defineConfig } from 'vite';

/**
 * The dashboard is built once, at build time, into dist/: index.html and hashed assets (the
 * page, the SDK, Observable Plot, the cities' approximate coordinates). The API serves
 * dist/index.html at GET /dashboard and the assets under /dashboard/assets/, so the page needs
 * nothing from any other host.
 */
export default defineConfig({
  base: '/dashboard/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});
