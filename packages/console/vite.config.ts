import { defineConfig } from 'vite';

/**
 * The console is built once, at build time, into dist/: index.html and hashed assets (GraphiQL,
 * React, the Monaco editor and its workers). The API serves dist/index.html at GET /graphql
 * (text/html) and the assets under /console/, so the page needs nothing from any other host.
 */
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything bundled, nothing fetched at run time: no CDN, no web fonts from another host.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
    rolldownOptions: {
      // React libraries' "use client" directives mean nothing in a bundle of one page.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
