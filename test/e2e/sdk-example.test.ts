/**
 * examples/task-target-progress-csv: the example program, run as users run it (node, importing the
 * built @airledger/sdk), against the real API; its CSV is checked against the database (targets,
 * provinces, shares) and the API's progress figures.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
const EXAMPLE = path.resolve('examples/task-target-progress-csv/index.mjs');

/** A CSV parser for the example's output (quoted cells with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

let app: TestApp;
let dir: string;

beforeAll(async () => {
  app = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'airledger-example-'));
});

afterAll(async () => {
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('examples/task-target-progress-csv', () => {
  it('writes one row per target and province, matching the database and the API progress', async () => {
    const out = path.join(dir, 'progress.csv');
    const { stderr } = await run(process.execPath, [EXAMPLE, out], { env: { ...process.env, AIRLEDGER_URL: app.url } });
    const targetCount = (await app.sql<{ n: string }>('select count(*) as n from task_target'))[0].n;
    expect(Number(targetCount)).toBeGreaterThan(0);
    expect(stderr).toContain(`wrote ${out}: ${targetCount} targets`);

    const [header, ...rows] = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(header).toEqual(['target_code', 'target_name', 'unit', 'comparator', 'deadline', 'province_slug', 'province_name', 'quantity', 'achieved', 'percent', 'met']);

    // Expected rows: provincial shares from the breakdown table; targets without one get a row for
    // their own province, or for all provinces.
    const db = await app.sql<{ code: string; name_en: string; unit: string | null; comparator: string; deadline: string; slug: string | null; province: string | null; quantity: string | null }>(`
      select t.code, t.name_en, t.unit, t.comparator, to_char(t.deadline, 'YYYY-MM-DD') as deadline, p.slug, p.name_en as province, b.quantity
        from task_target t join task_target_breakdown b on b.task_target_id = t.id join province p on p.id = b.province_id
      union all
      select t.code, t.name_en, t.unit, t.comparator, to_char(t.deadline, 'YYYY-MM-DD'), p.slug, coalesce(p.name_en, 'All provinces'), t.quantity
        from task_target t left join province p on p.id = t.province_id
       where not exists (select 1 from task_target_breakdown b where b.task_target_id = t.id and b.province_id is not null)`);
    const key = (r: unknown[]) => `${r[0]}|${r[5] ?? ''}`;
    expect(rows.map(key).sort()).toEqual(db.map((r) => `${r.code}|${r.slug ?? ''}`).sort());
    const byKey = new Map(rows.map((r) => [key(r), r]));
    for (const r of db) {
      const row = byKey.get(`${r.code}|${r.slug ?? ''}`)!;
      expect(row.slice(0, 7)).toEqual([r.code, r.name_en, r.unit ?? '', r.comparator, r.deadline, r.slug ?? '', r.province]);
      expect(row[7] === '' ? null : Number(row[7])).toEqual(r.quantity === null ? null : Number(r.quantity));
    }

    // Progress columns are the API's figures, unchanged.
    const api = await app.data<{ taskTargets: { nodes: { code: string; progress: P; breakdown: { province: { slug: string } | null; progress: P }[] }[] } }>(
      `{ taskTargets(first: 500) { nodes { code progress { achieved percent met } breakdown { province { slug } progress { achieved percent met } } } } }`,
    );
    type P = { achieved: number; percent: number | null; met: boolean };
    const fmt = (p: P) => [String(p.achieved), p.percent === null ? '' : String(p.percent), String(p.met)];
    for (const t of api.taskTargets.nodes) {
      const shares = t.breakdown.filter((b) => b.province);
      if (shares.length) for (const b of shares) expect(byKey.get(`${t.code}|${b.province!.slug}`)!.slice(8)).toEqual(fmt(b.progress));
      else expect(rows.find((r) => r[0] === t.code)!.slice(8)).toEqual(fmt(t.progress));
    }
  });

  it('reports a typed SDK error and exits non-zero when the server is unreachable', async () => {
    const error: any = await run(process.execPath, [EXAMPLE], { env: { ...process.env, AIRLEDGER_URL: 'http://127.0.0.1:9/graphql' } }).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/^NetworkError: /);
  });
});
