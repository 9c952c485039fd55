import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { defineConfig } from 'tsup';

/** Prints the size of each bundle, raw and gzipped (what a browser downloads). */
function printBundleSizes(): void {
  for (const file of ['dist/index.js', 'dist/index.cjs']) {
    const raw = statSync(file).size;
    const gzip = gzipSync(readFileSync(file)).length;
    console.log(`bundle size: ${file} ${(raw / 1024).toFixed(1)} KiB (gzip ${(gzip / 1024).toFixed(1)} KiB)`);
  }
}

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // No Node built-ins in the runtime path: the bundle is platform-neutral (Node 20+ and browsers).
  platform: 'neutral',
  treeshake: true,
  splitting: false,
  // The shared enums of @airledger/schema (a workspace package) are bundled, so the SDK installs alone.
  noExternal: ['@airledger/schema'],
  onSuccess: async () => printBundleSizes(),
});
