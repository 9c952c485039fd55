/**
 * The API keeps no state of its own: two API processes (two createServer instances, each with its
 * own MikroORM and connection pool, as two processes behind a load balancer would have) on one
 * database behave as one. The budget race of subsidy.test.ts, split across both: concurrent
 * disbursements sent alternately to each never overpay the budget.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MikroORM } from '@mikro-orm/postgresql';
import { ministryToken, startTestApp, type TestApp } from '../helpers/app.js';
import { createOrmConfig } from '../../packages/api/src/mikro-orm.config.js';
import { createServer, type LedgerServer } from '../../packages/api/src/server.js';
import { residentIdCheckChar } from '../../packages/api/src/modules/subsidy/subsidy.rules.js';

let a: TestApp;
let bOrm: MikroORM;
let bServer: LedgerServer;
let bUrl: string;

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ministryToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const RECORD = `mutation($input: RecordDisbursementInput!) {
  recordDisbursement(input: $input) { disbursement { id amount } userErrors { field code } }
}`;

beforeAll(async () => {
  a = await startTestApp();
  // The second process: its own ORM, pool and server on the same database.
  bOrm = await MikroORM.init(createOrmConfig({ clientUrl: a.databaseUrl, poolMax: 10 }));
  bServer = await createServer(bOrm, { exposeSqlCount: true, introspection: true });
  await new Promise<void>((resolve) => bServer.httpServer.listen(0, '127.0.0.1', resolve));
  bUrl = `http://127.0.0.1:${(bServer.httpServer.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await bServer?.stop();
  await bOrm?.close(true);
  await a?.close();
});

describe('two API processes on one database', () => {
  it('see each other\'s writes at once (no per-process cache)', async () => {
    const created = await gql(a.url, `mutation($input: CreateSubsidyProgramInput!) { createSubsidyProgram(input: $input) { subsidyProgram { id } userErrors { code } } }`, {
      input: { campaign: '2023-2024-autumn-winter', code: 'scale-out', nameZh: '扩展测试', nameEn: 'Scale-out test', kind: 'CLEAN_HEATING_OPERATING' },
    });
    const id = created.createSubsidyProgram.subsidyProgram.id;
    const seen = await gql(bUrl, `query($id: ID!) { subsidyProgram(id: $id) { code budgets { amount } } }`, { id });
    expect(seen.subsidyProgram).toEqual({ code: 'scale-out', budgets: [] });
    const budget = await gql(bUrl, `mutation($input: SetSubsidyBudgetInput!) { setSubsidyBudget(input: $input) { subsidyBudget { amount } userErrors { code } } }`, {
      input: { programId: id, city: 'xingtai', amount: 12_000 },
    });
    expect(budget.setSubsidyBudget).toEqual({ subsidyBudget: { amount: 12_000 }, userErrors: [] });
    const back = await gql(a.url, `query($id: ID!) { subsidyProgram(id: $id) { budgets { amount remainingAmount city { slug } } } }`, { id });
    expect(back.subsidyProgram.budgets).toEqual([{ amount: 12_000, remainingAmount: 12_000, city: { slug: 'xingtai' } }]);
  });

  it('never overpay a budget when concurrent disbursements are split across both', async () => {
    const created = await gql(a.url, `mutation($input: CreateSubsidyProgramInput!) { createSubsidyProgram(input: $input) { subsidyProgram { id } userErrors { code } } }`, {
      input: { campaign: '2023-2024-autumn-winter', code: 'scale-out-race', nameZh: '双进程并发', nameEn: 'Two-process race', kind: 'CLEAN_HEATING_OPERATING' },
    });
    const programId = created.createSubsidyProgram.subsidyProgram.id;
    // Room for exactly 7 disbursements of 1,500 yuan (10,500 of 11,000).
    const budget = await gql(a.url, `mutation($input: SetSubsidyBudgetInput!) { setSubsidyBudget(input: $input) { userErrors { code } } }`, {
      input: { programId, city: 'handan', amount: 11_000 },
    });
    expect(budget.setSubsidyBudget.userErrors).toEqual([]);

    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const first17 = `130402${String(19600101 + i)}${String(300 + i)}`;
        return gql(i % 2 === 0 ? a.url : bUrl, RECORD, {
          input: {
            programId,
            city: 'handan',
            recipientKind: 'HOUSEHOLD',
            householdName: `双进程${i}`,
            householdIdNumber: first17 + residentIdCheckChar(first17),
            lowIncome: false,
            amount: 1_500,
            approvedOn: '2024-01-15',
          },
        }).then((d) => ({ via: i % 2 === 0 ? 'a' : 'b', ...d.recordDisbursement }));
      }),
    );
    const paid = results.filter((r) => r.disbursement !== null);
    const refused = results.filter((r) => r.disbursement === null);
    expect(paid).toHaveLength(7);
    expect(refused).toHaveLength(23);
    for (const r of refused) expect(r.userErrors).toEqual([{ field: ['input', 'amount'], code: 'BUDGET_EXCEEDED' }]);
    // Both processes took part: each one's requests were answered (paid or refused) by the same rule.
    expect(new Set(results.map((r) => r.via))).toEqual(new Set(['a', 'b']));

    const [sum] = await a.sql<{ n: number; total: string }>(
      `select count(*)::int as n, sum(d.amount_yuan)::text as total from disbursement d join subsidy_program p on p.id = d.program_id where p.code = 'scale-out-race'`,
    );
    expect(sum).toEqual({ n: 7, total: '10500.00' });
    // And both processes report the same remaining budget.
    for (const url of [a.url, bUrl]) {
      const d = await gql(url, `query($id: ID!) { subsidyProgram(id: $id) { budgets { committedAmount remainingAmount disbursementCount } } }`, { id: programId });
      expect(d.subsidyProgram.budgets).toEqual([{ committedAmount: 10_500, remainingAmount: 500, disbursementCount: 7 }]);
    }
  });
});
