#!/usr/bin/env node
/**
 * The breaking-change check of the GraphQL contract: packages/schema/schema.graphql against the
 * last released schema kept in packages/schema/released/schema-<version>.graphql, diffed with
 * graphql-inspector. Breaking changes (a removed or changed type, field, argument or enum value, a
 * new required argument...) are allowed only when the version of @airledger/schema (and of
 * @airledger/sdk, which follows it) is a major step past the released one: a new major, or while
 * the major is 0, a new minor (semver's rule for 0.x, as CHANGELOG.md says).
 *
 *   node scripts/schema-check.mjs            prints the changes, exits 1 on a breaking change not allowed
 *   node scripts/schema-check.mjs --release  after the check, copies schema.graphql to released/schema-<version>.graphql
 *
 * test/e2e/schema-breaking.test.ts runs the same check in `pnpm test`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const inspector = await import('@graphql-inspector/core');
// graphql as graphql-inspector itself loads it (one instance for both).
const { buildSchema } = createRequire(require.resolve('@graphql-inspector/core'))('graphql');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const RELEASED_DIR = path.join(ROOT, 'packages/schema/released');

/** [major, minor, patch] of a plain x.y.z version. */
export function parseVersion(version) {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) throw new Error(`not a plain semantic version (x.y.z): ${version}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareVersions(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Whether `version` may break clients of `released`: a new major, or a new minor while the major is 0. */
export function allowsBreaking(released, version) {
  const [rMajor, rMinor] = parseVersion(released);
  const [major, minor] = parseVersion(version);
  if (major > rMajor) return true;
  return rMajor === 0 && major === 0 && minor > rMinor;
}

/** The released schemas kept in the repository, oldest first: `{ version, file }`. */
export function releasedSchemas(dir = RELEASED_DIR) {
  return fs
    .readdirSync(dir)
    .map((f) => /^schema-(\d+\.\d+\.\d+)\.graphql$/.exec(f))
    .filter(Boolean)
    .map((m) => ({ version: m[1], file: path.join(dir, m[0]) }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/**
 * Diffs two schema texts. Returns every change with its level (BREAKING, DANGEROUS, NON_BREAKING)
 * and the message graphql-inspector gives.
 */
export async function schemaChanges(releasedSdl, currentSdl) {
  const changes = await inspector.diff(buildSchema(releasedSdl), buildSchema(currentSdl));
  return changes.map((c) => ({ level: c.criticality.level, type: c.type, path: c.path ?? null, message: c.message }));
}

/**
 * The whole check: the current schema and versions against the last release. `problems` is
 * empty when it passes.
 */
export async function checkSchema({
  current = fs.readFileSync(path.join(ROOT, 'packages/schema/schema.graphql'), 'utf8'),
  schemaVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/schema/package.json'), 'utf8')).version,
  sdkVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/sdk/package.json'), 'utf8')).version,
  released = releasedSchemas().at(-1),
} = {}) {
  const problems = [];
  if (!released) return { released: null, changes: [], problems: ['no released schema in packages/schema/released'] };
  const changes = await schemaChanges(fs.readFileSync(released.file, 'utf8'), current);
  const breaking = changes.filter((c) => c.level === inspector.CriticalityLevel.Breaking);
  if (sdkVersion !== schemaVersion) problems.push(`@airledger/sdk is ${sdkVersion} but @airledger/schema is ${schemaVersion}: the SDK's version follows the schema's`);
  if (compareVersions(schemaVersion, released.version) < 0) problems.push(`@airledger/schema ${schemaVersion} is older than the released ${released.version}`);
  if (breaking.length && !allowsBreaking(released.version, schemaVersion)) {
    problems.push(
      `${breaking.length} breaking change(s) since the released schema ${released.version}, but @airledger/schema is ${schemaVersion} ` +
        `(a breaking change needs ${parseVersion(released.version)[0] === 0 ? 'a new minor while the major is 0, or a new major' : 'a new major'}):\n` +
        breaking.map((c) => `    BREAKING ${c.message}`).join('\n'),
    );
  }
  return { released, changes, breaking, problems };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await checkSchema();
  if (result.released) console.log(`schema.graphql against the released ${result.released.version} (${path.relative(ROOT, result.released.file)}):`);
  for (const c of result.changes) console.log(`  ${c.level.padEnd(12)} ${c.message}`);
  if (!result.changes.length) console.log('  no changes');
  if (result.problems.length) {
    for (const p of result.problems) console.error(`\n${p}`);
    process.exit(1);
  }
  if (process.argv.includes('--release')) {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages/schema/package.json'), 'utf8')).version;
    const target = path.join(RELEASED_DIR, `schema-${version}.graphql`);
    if (fs.existsSync(target)) {
      console.error(`\n${path.relative(ROOT, target)} exists: ${version} is released already; bump the version first`);
      process.exit(1);
    }
    fs.copyFileSync(path.join(ROOT, 'packages/schema/schema.graphql'), target);
    console.log(`\nreleased: ${path.relative(ROOT, target)}`);
  }
}
