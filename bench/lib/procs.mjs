/** Child processes of the bench: servers started on free ports, waited for, and stopped by their own pid. */
import { spawn } from 'node:child_process';
import { freePort } from '../../packages/api/dist/db/embedded.js';

export async function startServer({ name, command, args, env, cwd, ready = '/graphql', readyBody, log = () => {} }) {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
    log(`[${name}] ${String(d).trimEnd()}`);
  });
  child.stderr.on('data', (d) => {
    output += d;
    log(`[${name}!] ${String(d).trimEnd()}`);
  });
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (true) {
    if (exited) throw new Error(`${name} exited (${JSON.stringify(exited)}):\n${output.slice(-3000)}`);
    try {
      const res = await fetch(base + ready, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(readyBody ?? { query: '{ __typename }' }),
      });
      if (res.status < 500) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    port,
    base,
    child,
    get output() {
      return output;
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
