/**
 * packages/sdk/README.md "Install": until the SDK is published it is installed from a tarball
 * packed from this repository. The README's commands, run as written (build skipped: `pnpm test`
 * has built the SDK; the tarball into a temporary folder rather than /tmp itself), into a fresh
 * project outside the workspace; the SDK is then imported there from ESM and CommonJS and
 * answers a query of a real server.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const README = fs.readFileSync(path.resolve('packages/sdk/README.md'), 'utf8');
const version = JSON.parse(fs.readFileSync(path.resolve('packages/sdk/package.json'), 'utf8')).version as string;
const install = /## Install\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(README)![1].trim().split('\n');

let dir: string;
let app: TestApp;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-sdk-pack-'));
  app = await startTestApp();
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('installing the SDK from a packed tarball', () => {
  it('the README packs it and installs the tarball with its version into a project', () => {
    expect(install[0]).toBe('pnpm install && pnpm --filter @airledger/sdk build');
    expect(install[1]).toBe('pnpm --filter @airledger/sdk pack --pack-destination /tmp');
    expect(install[2]).toBe(`cd /path/to/your-project && npm install /tmp/airledger-sdk-${version}.tgz graphql`);
  });

  it('packs, installs into a fresh project and imports from ESM and CommonJS', { timeout: 300_000 }, async () => {
    // Asynchronous: the server under test runs in this process.
    const run = async (line: string, cwd: string) => (await promisify(execFile)('bash', ['-c', line], { cwd, encoding: 'utf8', timeout: 180_000 })).stdout;
    const project = path.join(dir, 'your-project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'your-project', version: '1.0.0', private: true }));
    await run(install[1].replace('/tmp', dir), process.cwd());
    const tarball = path.join(dir, `airledger-sdk-${version}.tgz`);
    expect(fs.existsSync(tarball)).toBe(true);
    await run(install[2].replace('/tmp/', `${dir}/`).replace('cd /path/to/your-project', `cd ${project}`) + ' --no-audit --no-fund', process.cwd());
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/@airledger/sdk/package.json'), 'utf8'));
    expect(installed.version).toBe(version);

    const query = `const c = createClient({ url: ${JSON.stringify(app.url)} }); c.cities({ first: 2 }).then((r) => console.log(JSON.stringify(r.cities.nodes.length)));`;
    fs.writeFileSync(path.join(project, 'esm.mjs'), `import { createClient, RegionCode } from '@airledger/sdk';\nif (RegionCode.FENWEI_PLAIN !== 'FENWEI_PLAIN') process.exit(2);\n${query}\n`);
    fs.writeFileSync(path.join(project, 'cjs.cjs'), `const { createClient } = require('@airledger/sdk');\n${query}\n`);
    expect((await run('node esm.mjs', project)).trim()).toBe('2');
    expect((await run('node cjs.cjs', project)).trim()).toBe('2');
  });
});
