/**
 * PostGraphile 5 needs Node 22. The bench looks for a Node 22 binary from the npm package
 * `node@22` (installed in bench/pg5, see bench/README.md), or BENCH_NODE22=/path/to/node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const pg5 = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pg5');

export function findNode22() {
  const candidates = [process.env.BENCH_NODE22, path.join(pg5, 'node_modules', 'node', 'bin', 'node'), path.join(pg5, 'node_modules', '.bin', 'node')].filter(Boolean);
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    try {
      const v = execFileSync(c, ['--version'], { encoding: 'utf8' }).trim();
      if (/^v2[2-9]\./.test(v)) return c;
    } catch {
      /* not runnable here */
    }
  }
  return null;
}

export function postgraphile5Available() {
  return fs.existsSync(path.join(pg5, 'node_modules', 'postgraphile', 'package.json')) && fs.existsSync(path.join(pg5, 'server.mjs'));
}
