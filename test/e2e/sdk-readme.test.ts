/**
 * packages/sdk/README.md: its TypeScript snippets, in order, make one program. This test extracts
 * them, type-checks the program against the built package, runs it against a real server and
 * checks what each snippet printed against the database.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { generateApiKey } from '../../packages/api/src/common/auth.js';

const run = promisify(execFile);
const README = path.resolve('packages/sdk/README.md');
// Inside packages/sdk, so that `graphql` resolves as it does for a user who installed it; the
// package itself resolves through the workspace's node_modules/@airledger/sdk (the built dist).
const WORK = path.resolve('packages/sdk/node_modules/.cache/readme-snippets');

function snippets(markdown: string): { heading: string; lang: string; code: string }[] {
  const out: { heading: string; lang: string; code: string }[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) heading = lines[i].slice(3).trim();
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (!open) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    out.push({ heading, lang: open[1], code: body.join('\n') });
  }
  return out;
}

let app: TestApp;
/** Observations the report snippets aggregate: [city, day, PM2.5, AQI]. */
const OBSERVATIONS: [string, string, number, number | null][] = [
  ['shijiazhuang', '2023-12-01', 200, 250],
  ['shijiazhuang', '2023-12-02', 100, 133],
  ['taiyuan', '2023-12-01', 60, 82],
  ['taiyuan', '2023-12-02', 80, 106],
  ['xian', '2023-12-01', 151, null],
];
/** A MINISTRY API key for the snippets (AIRLEDGER_TOKEN), issued straight into api_key (migration 0800). */
let token: string;

beforeAll(async () => {
  app = await startTestApp();
  const key = generateApiKey();
  await app.sql(`insert into api_key (name, role, prefix, secret_hash, created_by, updated_by) values ('sdk readme', 'MINISTRY', ?, ?, 'test', 'test')`, [key.prefix, key.hash]);
  token = key.secret;
  // A few city-wide observations of December 2023 for the report snippets.
  for (const [city, day, pm25, aqi] of OBSERVATIONS) {
    await app.sql(
      `insert into air_quality_observation (city_id, observed_on, pm25, aqi, origin, created_by, updated_by) select id, ?, ?, ?, 'RECORDED', 'test', 'test' from city where slug = ?`,
      [day, pm25, aqi, city],
    );
  }
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('packages/sdk/README.md', () => {
  const blocks = snippets(fs.readFileSync(README, 'utf8'));

  it('shows install, a client, a typed query, pagination, errors, authentication, reports and exports and a custom typed document, in that order', () => {
    expect(blocks.map((b) => [b.heading, b.lang])).toEqual([
      ['Install', 'sh'],
      ['Create a client', 'ts'],
      ['A typed query', 'ts'],
      ['Pagination', 'ts'],
      ['Errors', 'ts'],
      ['Authentication', 'ts'],
      ['Reports and exports', 'ts'],
      ['Reports and exports', 'ts'],
      ['A custom typed document', 'ts'],
    ]);
    expect(blocks[0].code).toContain('pnpm --filter @airledger/sdk pack');
  });

  it('its snippets type-check against the built package and run against a real server', async () => {
    const code = blocks.filter((b) => b.lang === 'ts').map((b) => `// --- ${b.heading}\n${b.code}`).join('\n\n');
    // Imports first (ES modules hoist them anyway), then the statements in README order.
    const source = code.split('\n').filter((l) => l.startsWith('import ')).join('\n') + '\n' + code.split('\n').filter((l) => !l.startsWith('import ')).join('\n') + '\nexport {};\n';
    fs.writeFileSync(path.join(WORK, 'readme.mts'), source);
    fs.writeFileSync(
      path.join(WORK, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'], lib: ['ES2022'] }, files: ['readme.mts'] }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const checked = await run(process.execPath, [tsc, '-p', path.join(WORK, 'tsconfig.json')]).then(
      () => '',
      (e) => `${e.stdout}${e.stderr}`,
    );
    expect(checked).toBe('');

    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    fs.writeFileSync(path.join(WORK, 'readme.mjs'), js);
    const { stdout } = await run(process.execPath, [path.join(WORK, 'readme.mjs')], { cwd: WORK, env: { ...process.env, AIRLEDGER_URL: app.url, AIRLEDGER_TOKEN: token } });
    const lines = stdout.trim().split('\n');

    const cities = async (where: string) =>
      (await app.sql<{ slug: string; name_en: string; name_zh: string }>(`select c.slug, c.name_en, c.name_zh from city c join province p on p.id = c.province_id where ${where} order by c.plan_order, c.id`));
    const fenwei = await cities(`c.region_code = 'FENWEI_PLAIN'`);
    const all = await cities('true');
    const hebei = await cities(`p.slug = 'hebei'`);
    const henan = await cities(`p.slug = 'henan'`);
    const [sjz] = await app.sql<{ name_zh: string }>(`select name_zh from city where slug = 'shijiazhuang'`);
    const [ministry] = await app.sql<{ id: number }>(`select id from api_key where name = 'sdk readme'`);
    const issued = await app.sql<{ id: number; revoked: boolean; slug: string }>(
      `select k.id, k.revoked_at is not null as revoked, c.slug from api_key k join city c on c.id = k.city_id where k.name = 'Tangshan ecology bureau'`,
    );
    expect(issued).toEqual([{ id: expect.any(Number), revoked: true, slug: 'tangshan' }]);
    const audit = await app.sql<{ action: string; operation: string; actor_id: string }>(`select action, operation, actor_id from audit_event where entity = 'ApiKey' and entity_id = ? order by id desc`, [issued[0].id]);
    expect(audit.map((a) => a.actor_id)).toEqual([`key:${ministry.id}`, `key:${ministry.id}`]);
    // The report by plain SQL: city-wide means of the campaign period per province (by id), then all.
    const byProvince = await app.sql<{ name_en: string | null; mean: number; heavy: number }>(
      `select p.name_en, avg(o.pm25)::float8 as mean, count(*) filter (where o.pm25 > 150 or o.aqi > 200)::int as heavy
         from air_quality_observation o join city c on c.id = o.city_id join province p on p.id = c.province_id
        where o.station_code is null and o.observed_on between '2023-10-01' and '2024-03-31'
        group by rollup ((p.id, p.name_en)) order by p.id nulls last`,
    );
    const ranking = await app.sql<{ name_en: string; mean: number }>(
      `select c.name_en, avg(o.pm25)::float8 as mean from air_quality_observation o join city c on c.id = o.city_id
        where o.station_code is null and to_char(o.observed_on, 'YYYY-MM') = '2023-12' group by c.id, c.name_en order by 2 desc`,
    );
    const hebeiCsv = hebei.length;
    const xlsx = fs.readFileSync(path.join(WORK, 'pm25-ranking-2023-12.xlsx'));
    expect(xlsx.subarray(0, 2).toString()).toBe('PK');
    expect(lines).toEqual([
      `Fenwei Plain: ${fenwei.length} cities, first ${fenwei.slice(0, 5).map((c) => c.name_en).join(', ')}`,
      `Shijiazhuang (${sjz.name_zh}) is in Hebei`,
      `Hebei: ${hebei.length} cities`,
      `first 25: 25 cities, ending with ${all[24].slug}`,
      'not found: slug: No city with slug "atlantis".',
      'invalid first: Must be between 0 and 500.',
      'rejected input.creditCode (INVALID): A unified social credit code has exactly 18 characters.',
      `acting as key:${ministry.id} (MINISTRY)`,
      'new key Tangshan ecology bureau: CITY of tangshan, 1 city',
      'after revoking: UNAUTHENTICATED',
      `audit trail: ${audit.map((a) => `${a.action} by ${a.operation}`).join(', ')}`,
      ...byProvince.map((r) => `${r.name_en ?? 'all provinces'}: PM2.5 ${r.mean.toFixed(1)}, ${r.heavy} heavy days`),
      `worst in 2023-12: ${ranking[0].name_en} (rank ${ranking.length} of ${ranking.length}), ${ranking[0].mean}`,
      `cities.csv: ${hebeiCsv} cities of Hebei`,
      `saved pm25-ranking-2023-12.xlsx (${xlsx.length} bytes)`,
      `Henan: ${henan.map((c) => c.name_zh).join(' ')}`,
    ]);
    // The rejected mutation wrote nothing.
    expect(await app.sql(`select id from enterprise where name = '唐山示例钢铁有限公司'`)).toEqual([]);
  });
});
